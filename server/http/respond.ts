import type { ServerResponse } from 'node:http';
import type { SyncErrorCode } from '../../src/shared/syncProtocol';
import { SYNC_ERROR_MESSAGES } from './errorMessages';
import type { Lang } from './lang';

/** Headers on every answer: nothing is cached, sniffed, framed or sent on as a referrer. */
function commonHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  commonHeaders(res);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  const body = Buffer.from(text, 'utf8');
  commonHeaders(res);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

/**
 * Server-rendered pages carry their own inline style and no script: the policy lets nothing else
 * load, and forms post only back to this server.
 */
export function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(html, 'utf8');
  commonHeaders(res);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': body.length,
    'Content-Security-Policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  res.end(body);
}

export function sendError(
  res: ServerResponse,
  status: number,
  code: SyncErrorCode,
  lang: Lang,
  extra: { problems?: string[]; headers?: Record<string, string> } = {},
): void {
  const error: { code: SyncErrorCode; message: string; problems?: string[] } = {
    code,
    message: SYNC_ERROR_MESSAGES[lang][code],
  };
  if (extra.problems) error.problems = extra.problems;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, { error }, extra.headers);
}

export function redirect(res: ServerResponse, location: string, headers: Record<string, string | string[]> = {}): void {
  commonHeaders(res);
  res.writeHead(303, { ...headers, Location: location, 'Content-Length': 0 });
  res.end();
}
