import { createHash, randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql';
import { encodeBase32 } from './base32';

/** An enrolment code lives a day and is good for one enrolment. */
export const ENROL_CODE_TTL_MS = 24 * 60 * 60 * 1000;

const SECRET_CHARS = 26;

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface NewEnrolCode {
  code: string;
  expiresAt: Date;
}

/**
 * A new one-time code `ES1-<26 base32>-<server key fingerprint>`: 130 random bits, of which only
 * the hash is stored, so the database alone cannot enrol a station.
 */
export async function createEnrolCode(sql: Sql, serverKeyFingerprint: string, now: Date): Promise<NewEnrolCode> {
  const secret = encodeBase32(randomBytes(17)).slice(0, SECRET_CHARS);
  const expiresAt = new Date(now.getTime() + ENROL_CODE_TTL_MS);
  await sql.query('INSERT INTO enrol_codes (secret_sha256, created_at, expires_at) VALUES ($1, $2, $3)', [
    secretHash(secret),
    now,
    expiresAt,
  ]);
  return { code: `ES1-${secret}-${serverKeyFingerprint}`, expiresAt };
}

/**
 * Locks the code's row when it is good to use (known, unused, unexpired), inside the caller's
 * transaction: of two enrolments racing with one code, on one instance or two, the second waits
 * here and then finds it used. Null when the code cannot be used.
 */
export async function claimEnrolCode(tx: Sql, secret: string, now: Date): Promise<number | null> {
  const rows = await tx.query<{ id: number }>(
    `SELECT id FROM enrol_codes
      WHERE secret_sha256 = $1 AND used_at IS NULL AND expires_at > $2
      FOR UPDATE`,
    [secretHash(secret), now],
  );
  return rows[0]?.id ?? null;
}

/** Marks a claimed code used by `stationId` (which must exist by now). */
export async function markEnrolCodeUsed(tx: Sql, id: number, stationId: string, now: Date): Promise<void> {
  const rows = await tx.query('UPDATE enrol_codes SET used_at = $3, used_by_station = $2 WHERE id = $1 AND used_at IS NULL RETURNING id', [
    id,
    stationId,
    now,
  ]);
  if (rows.length !== 1) throw new Error(`enrolment code ${id} was used while it was claimed`);
}
