import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql';

/** An operator's browser session lasts twelve hours from sign-in. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'es_server_session';

function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createSession(sql: Sql, operatorId: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString('hex');
  await sql.query(
    'INSERT INTO operator_sessions (token_sha256, operator_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [tokenHash(token), operatorId, now, new Date(now.getTime() + SESSION_TTL_MS)],
  );
  await sql.query('DELETE FROM operator_sessions WHERE expires_at <= $1', [now]);
  return token;
}

export async function sessionOperator(sql: Sql, token: string, now: Date): Promise<{ id: number; name: string } | null> {
  if (!/^[0-9a-f]{64}$/.test(token)) return null;
  const rows = await sql.query<{ id: number; name: string }>(
    `SELECT o.id, o.name FROM operator_sessions s JOIN operators o ON o.id = s.operator_id
      WHERE s.token_sha256 = $1 AND s.expires_at > $2`,
    [tokenHash(token), now],
  );
  return rows[0] ?? null;
}

export async function endSession(sql: Sql, token: string): Promise<void> {
  await sql.query('DELETE FROM operator_sessions WHERE token_sha256 = $1', [tokenHash(token)]);
}

/** The cookie's value from a `Cookie` header, or null. */
export function readSessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=');
  }
  return null;
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_TTL_MS / 1000}`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}
