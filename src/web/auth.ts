import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The host's gatekeeping: it binds to 127.0.0.1, but any web page the user visits can still aim
 * requests at that address, so every request must (1) name us as its Host, defeating DNS
 * rebinding, (2) come from our own Origin when it has one, and (3) carry a secret of this run:
 * a browser's cookie, or the host token as `Authorization: Bearer` (scripts and tests).
 */

export function createToken(): string {
  return randomBytes(32).toString('base64url');
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

/**
 * Every value sent under `name`. A browser sends several cookies of one name when they were set
 * for different paths or by different local services (cookies are not port-isolated), most
 * specific path first; a reader that takes the first could be handed a planted one.
 */
export function readCookies(cookieHeader: string | undefined, name: string): string[] {
  if (!cookieHeader) return [];
  const values: string[] = [];
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

function readBearer(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Bearer\s+(\S+)$/i.exec(authorization);
  return match?.[1];
}

/** Secrets are kept and looked up by their SHA-256, so a lookup's timing says nothing about them. */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * Who may use this run of the web host. The address `serve` prints carries a one-time link token:
 * the first visit trades it for a cookie secret of that browser, and from then on the link (in
 * the browser's history, a shell's scrollback, a screenshot) opens nothing. More one-time links
 * are minted on request (`serve` prints one when Enter is pressed). The cookie's name includes a
 * random part of this run, so another service on 127.0.0.1 cannot aim a cookie at it, and any
 * one valid value among several of that name is accepted, so a planted one cannot lock us out.
 */
export class HostAccess {
  readonly cookieName: string;
  private readonly links = new Set<string>();
  private readonly browsers = new Set<string>();

  constructor(
    port: number,
    /** The host token, accepted as `Authorization: Bearer`; never put in an address. */
    private readonly apiToken: string,
  ) {
    this.cookieName = `station_${port}_${randomBytes(6).toString('hex')}`;
  }

  /** A new one-time link token. */
  newLinkToken(): string {
    const token = createToken();
    this.links.add(digest(token));
    return token;
  }

  /** Spends a link token: the `Set-Cookie` value for this browser, or null when it is unknown or spent. */
  redeemLink(token: string | null): string | null {
    if (!token || !this.links.delete(digest(token))) return null;
    const secret = createToken();
    this.browsers.add(digest(secret));
    return `${this.cookieName}=${secret}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** True when the request carries one of our browsers' cookies or the host token as bearer. */
  allows(req: IncomingMessage): boolean {
    if (isSameToken(readBearer(req.headers.authorization), this.apiToken)) return true;
    return readCookies(req.headers.cookie, this.cookieName).some((value) => this.browsers.has(digest(value)));
  }
}
