import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The host's gatekeeping: it binds to 127.0.0.1, but any web page the user visits can still aim
 * requests at that address, so every request must (1) name us as its Host, defeating DNS
 * rebinding, (2) come from our own Origin when it has one, and (3) carry the per-run token.
 */

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies ignore ports, so the name carries ours: two hosts on one machine must not evict each other's token. */
export function tokenCookieName(port: number): string {
  return `station_token_${port}`;
}

export function buildTokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function localAuthorities(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function isLocalHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader !== undefined && localAuthorities(port).has(hostHeader.toLowerCase());
}

/** A request without Origin (navigation, curl, same-origin GET) passes; a present Origin must be ours. */
export function isAllowedOrigin(originHeader: string | undefined, port: number): boolean {
  if (originHeader === undefined) return true;
  const allowed = [...localAuthorities(port)].map((authority) => `http://${authority}`);
  return allowed.includes(originHeader.toLowerCase());
}

export function isSameToken(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function readCookie(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function readBearer(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1];
}

/** True when the request carries the token in our cookie or as `Authorization: Bearer`. */
export function hasToken(req: IncomingMessage, port: number, token: string): boolean {
  return (
    isSameToken(readCookie(req.headers.cookie, tokenCookieName(port)), token) ||
    isSameToken(readBearer(req.headers.authorization), token)
  );
}
