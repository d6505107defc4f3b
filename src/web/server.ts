import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Engine, Logger } from '../core/engineApi';
import { buildTokenCookie, createToken, hasToken, isAllowedOrigin, isLocalHost, isSameToken } from './auth';
import { createEventHub } from './events';
import { handleMedia } from './media';
import { applySecurityHeaders, sendError } from './respond';
import { handleCall, reportUnexpected } from './rpc';
import { sendText, serveStatic } from './static';

export interface WebHostOptions {
  engine: Engine;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer; defaults to `out/web` under the working directory. */
  staticDir?: string;
  /** Fixed only in tests; otherwise a fresh random token per run. */
  token?: string;
  log: Logger;
}

export interface WebHost {
  /** The address to open, token included; the host moves the token into a cookie on first use. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Ends event streams and stops listening. The engine stays open: its owner closes it. */
  close(): Promise<void>;
}

/** Only the loopback interface: the station's evidence must not be reachable from the network. */
const BIND_ADDRESS = '127.0.0.1';

/**
 * Starts the local web host: the built renderer plus the contract over HTTP (`/api/call/<method>`),
 * engine events as Server-Sent Events (`/api/events`) and media by opaque id (`/media/<id>/<variant>`).
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { engine, log } = options;
  const token = options.token ?? createToken();
  const staticDir = resolve(options.staticDir ?? 'out/web');
  const hub = createEventHub(engine);
  let port = 0;

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    applySecurityHeaders(res);
    const url = new URL(req.url ?? '/', `http://${BIND_ADDRESS}:${port}`);
    const path = url.pathname;
    const isApi = path === '/api' || path.startsWith('/api/') || path.startsWith('/media/');

    if (!isLocalHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port)) {
      log.warn('web host: refused foreign host or origin', { host: req.headers.host, origin: req.headers.origin });
      sendError(res, 'host.origin');
      return;
    }

    // First visit: `/?token=T` becomes an HttpOnly cookie, and the token leaves the address bar and history.
    if (!isApi && req.method === 'GET' && url.searchParams.has('token')) {
      if (!isSameToken(url.searchParams.get('token'), token)) {
        sendText(res, 401, 'This address is out of date: open the one the station printed when it started.');
        return;
      }
      url.searchParams.delete('token');
      res.statusCode = 303;
      res.setHeader('Set-Cookie', buildTokenCookie(port, token));
      res.setHeader('Location', `${url.pathname}${url.search}`);
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }

    if (!hasToken(req, port, token)) {
      if (isApi) sendError(res, 'host.token');
      else sendText(res, 401, 'Open the address the station printed when it started (it carries an access token).');
      return;
    }

    if (path.startsWith('/api/call/')) {
      await handleCall(req, res, decodeSegment(path.slice('/api/call/'.length)), engine, log);
    } else if (path === '/api/events') {
      hub.handle(req, res);
    } else if (path.startsWith('/media/')) {
      const segments = path.slice('/media/'.length).split('/').map(decodeSegment);
      await handleMedia(req, res, segments, url.searchParams, engine, log);
    } else if (isApi) {
      sendError(res, 'method.unknown', {});
    } else {
      await serveStatic(req, res, staticDir, path);
    }
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => reportUnexpected(res, log, error, `${req.method} ${req.url}`));
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen({ port: options.port ?? 0, host: BIND_ADDRESS }, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${BIND_ADDRESS}:${port}/?token=${token}`;
  log.info('web host: listening', { address: `http://${BIND_ADDRESS}:${port}/`, staticDir });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    token,
    close() {
      closing ??= new Promise<void>((resolveClose) => {
        hub.close();
        server.close(() => resolveClose());
        // Keep-alive sockets and half-finished media streams would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A malformed percent-escape is kept as typed: it then simply names no method or item. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
