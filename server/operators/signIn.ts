import { hashPassword, verifyPassword } from '../../src/core/accounts/passwords';
import { waitBeforeNextMs, type ThrottlePolicy } from '../../src/core/accounts/signInThrottle';
import type { Sql } from '../db/sql';
import { findOperator, type Operator } from './operatorsRepo';

/**
 * Failed sign-ins slow the next attempt for that name: three are free, then each doubles the wait
 * from one second up to a minute. Counted per name as typed, in the database (so every instance
 * sees them), whether or not the name exists; there is no lock-out, which would let anyone lock an
 * operator out by name.
 */
export const OPERATOR_THROTTLE: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockoutAfter: Number.POSITIVE_INFINITY,
};

export type SignInResult =
  | { kind: 'ok'; operator: Operator }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number };

/** A hash to check unknown names against, so they cost the same time as known ones. */
let decoyHash: Promise<string> | null = null;

export async function signIn(sql: Sql, name: string, password: string, now: Date): Promise<SignInResult> {
  const key = name.normalize('NFC');
  const rows = await sql.query<{ failures: number; last_failed_at: Date }>(
    'SELECT failures, last_failed_at FROM operator_sign_in_failures WHERE name = $1',
    [key],
  );
  const state = rows[0] ? { failures: rows[0].failures, lastFailedMs: rows[0].last_failed_at.getTime() } : null;
  const waitMs = waitBeforeNextMs(state, now.getTime(), OPERATOR_THROTTLE);
  if (waitMs > 0) return { kind: 'throttled', retryAfterSeconds: Math.ceil(waitMs / 1000) };

  const operator = await findOperator(sql, key);
  decoyHash ??= hashPassword('decoy password for unknown operator names');
  const ok = await verifyPassword(password, operator?.passwordHash ?? (await decoyHash));
  if (operator && ok) {
    await sql.query('DELETE FROM operator_sign_in_failures WHERE name = $1', [key]);
    return { kind: 'ok', operator };
  }
  await sql.query(
    `INSERT INTO operator_sign_in_failures (name, failures, last_failed_at) VALUES ($1, 1, $2)
     ON CONFLICT (name) DO UPDATE SET failures = operator_sign_in_failures.failures + 1, last_failed_at = $2`,
    [key, now],
  );
  // Rows of names nobody has tried for a day go, so invented names cannot pile up for ever.
  await sql.query('DELETE FROM operator_sign_in_failures WHERE last_failed_at < $1', [
    new Date(now.getTime() - 24 * 60 * 60 * 1000),
  ]);
  return { kind: 'invalid' };
}
