import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Engine, Logger } from '../core/engineApi';
import { HostAccess, createToken, isAllowedOrigin, isLocalHost } from './auth';
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
  /** The bearer token for scripts and tests; fixed only in tests, otherwise random per run. */
  token?: string;
  log: Logger;
}

export interface WebHost {
  /**
   * The address to open, with a one-time link token: the first visit trades it for a cookie, and
   * after that the address opens nothing.
   */
  readonly url: string;
  readonly port: number;
  /** Accepted as `Authorization: Bearer` by scripts and tests; never part of an address. */
  readonly token: string;
  /** Another one-time address, for another browser or after the cookie was lost. */
  newLink(): string;
  /** Ends event streams and stops listening. The engine stays open: its owner closes it. */
  close(): Promise<void>;
}

const SPENT_LINK_TEXT =
  'This link has been used already: each link the station prints opens it once, in one browser.\n' +
  'For a new link press Enter in the terminal where `evidence-station serve` runs, or start it again.\n' +
  '此链接已使用过：工作站打印的每个链接只能在一个浏览器中打开一次。\n' +
  '如需新链接，请在运行 `evidence-station serve` 的终端中按回车键，或重新启动它。\n';

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
  let access: HostAccess | null = null;

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

    const gate = access;
    if (!gate) {
      sendError(res, 'host.token');
      return;
    }
    // First visit: `/?token=T` is spent for an HttpOnly cookie, and the token leaves the address
    // bar. A browser that already has its cookie and opens the link again simply goes on.
    if (!isApi && req.method === 'GET' && url.searchParams.has('token')) {
      const cookie = gate.redeemLink(url.searchParams.get('token'));
      if (!cookie && !gate.allows(req)) {
        sendText(res, 401, SPENT_LINK_TEXT);
        return;
      }
      url.searchParams.delete('token');
      res.statusCode = 303;
      if (cookie) res.setHeader('Set-Cookie', cookie);
      res.setHeader('Location', `${url.pathname}${url.search}`);
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }

    if (!gate.allows(req)) {
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
  const hostAccess = new HostAccess(port, token);
  access = hostAccess;
  const newLink = (): string => `http://${BIND_ADDRESS}:${port}/?token=${hostAccess.newLinkToken()}`;
  const url = newLink();
  log.info('web host: listening', { address: `http://${BIND_ADDRESS}:${port}/`, staticDir });

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    token,
    newLink,
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
