import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorFields } from '../log';
import type { ServerServices } from '../services';
import { pickLang } from './lang';
import { isLoopbackAddress } from './loopback';
import { sendError } from './respond';
import { matches, type RequestContext, type Route } from './route';
import { isSyncError } from './syncError';

/**
 * The whole HTTP surface as one `(req, res)` function: find the route, run it, and turn whatever
 * it throws into `{ error: { code, message } }`. An expected refusal answers its code; anything
 * else is logged with its stack and answers `internal` — no stack or SQL ever reaches a client.
 */
export function createRequestHandler(
  services: ServerServices,
  routes: readonly Route[],
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const pathAndQuery = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(pathAndQuery, 'http://server.invalid');
    } catch {
      sendError(res, 400, 'request.invalid', 'en');
      return;
    }
    const ctx: RequestContext = {
      req,
      res,
      url,
      pathAndQuery,
      lang: pickLang(req, url),
      fromLoopback: isLoopbackAddress(req.socket.remoteAddress),
      services,
    };
    void dispatch(ctx, routes).catch((error: unknown) => answerError(ctx, error));
  };
}

async function dispatch(ctx: RequestContext, routes: readonly Route[]): Promise<void> {
  const method = (ctx.req.method ?? 'GET').toUpperCase();
  const candidates = routes.filter((r) => matches(r, ctx.url.pathname));
  if (candidates.length === 0) {
    ctx.req.resume();
    sendError(ctx.res, 404, 'request.invalid', ctx.lang);
    return;
  }
  const route = candidates.find((r) => r.methods === '*' || r.methods.includes(method));
  if (!route) {
    ctx.req.resume();
    const allowed = [...new Set(candidates.flatMap((r) => (r.methods === '*' ? [] : [...r.methods])))];
    sendError(ctx.res, 405, 'request.invalid', ctx.lang, { headers: { Allow: allowed.join(', ') } });
    return;
  }
  await route.handle(ctx);
}

function answerError(ctx: RequestContext, error: unknown): void {
  const { res, services } = ctx;
  if (isSyncError(error)) {
    services.log.info('request refused', {
      method: ctx.req.method,
      path: ctx.url.pathname,
      code: error.code,
      detail: error.detail,
    });
    sendError(res, error.status, error.code, ctx.lang, error.problems ? { problems: error.problems } : {});
    return;
  }
  services.log.error('request failed', { method: ctx.req.method, path: ctx.url.pathname, ...errorFields(error) });
  sendError(res, 500, 'internal', ctx.lang);
}
