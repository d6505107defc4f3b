import type { RequestContext } from '../http/route';
import { readSessionCookie, sessionOperator } from './sessions';
import { signIn } from './signIn';

export type OperatorAuth =
  | { kind: 'operator'; name: string; via: 'session' | 'basic' }
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/**
 * Who is asking: a session cookie from the sign-in form, or HTTP Basic from this machine only (a
 * password in every request is acceptable on loopback, never across a network in plain HTTP).
 * Basic from elsewhere is ignored, as if absent.
 */
export async function authenticateOperator(ctx: RequestContext): Promise<OperatorAuth> {
  const { sql, clock } = ctx.services;
  const token = readSessionCookie(ctx.req.headers.cookie);
  if (token) {
    const operator = await sessionOperator(sql, token, clock());
    if (operator) return { kind: 'operator', name: operator.name, via: 'session' };
  }
  const basic = parseBasic(ctx.req.headers.authorization);
  if (basic && ctx.fromLoopback) {
    const result = await signIn(sql, basic.name, basic.password, clock());
    if (result.kind === 'ok') return { kind: 'operator', name: result.operator.name, via: 'basic' };
    return result;
  }
  return { kind: 'none' };
}

function parseBasic(header: string | undefined): { name: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
