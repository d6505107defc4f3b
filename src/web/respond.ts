import type { ServerResponse } from 'node:http';
import { httpStatusOf, type ErrorCode, type ErrorParams } from '../shared/errors';

/**
 * Headers every answer of the web host carries. The CSP allows only our own origin: the built
 * renderer has no inline scripts, media comes from `/media`, and blob:/data: cover thumbnails the
 * UI makes itself.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
    "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function applySecurityHeaders(res: ServerResponse): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.setHeader('Cache-Control', 'no-store');
  res.end(text);
}

/**
 * Answers with the contract's error shape. `status` defaults to the catalogue's; a few transport
 * failures (405, 413) keep their precise HTTP status while reusing a catalogue code.
 */
export function sendError(res: ServerResponse, code: ErrorCode, params: ErrorParams = {}, status?: number): void {
  sendJson(res, status ?? httpStatusOf(code), { ok: false, error: { code, params } });
}
