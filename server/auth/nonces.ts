import { randomBytes } from 'node:crypto';
import type { Sql } from '../db/sql';
import { SyncError } from '../http/syncError';
import { findStation } from '../stations/stationsRepo';

/** A nonce is good for ten minutes of the server's clock, and once. */
export const NONCE_TTL_MS = 10 * 60 * 1000;

/**
 * Unused nonces one station may hold at a time. A station asks for one per request and uses it at
 * once, so a handful is normal; the bound keeps an unsigned endpoint from filling the table.
 */
export const MAX_LIVE_NONCES_PER_STATION = 100;

/**
 * Issues a nonce to an enrolled, unrevoked station. Expired nonces are swept here, so the table
 * holds at most ten minutes of them. The station's row is locked while its nonces are counted,
 * so the bound holds across instances.
 */
export async function issueNonce(sql: Sql, stationId: string, now: Date): Promise<string> {
  return sql.transaction(async (tx) => {
    const station = await findStation(tx, stationId, { forUpdate: true });
    if (!station) throw new SyncError('station.unknown', stationId);
    if (station.revokedAt) throw new SyncError('station.revoked', stationId);
    const oldest = new Date(now.getTime() - NONCE_TTL_MS);
    await tx.query('DELETE FROM nonces WHERE created_at <= $1', [oldest]);
    const live = await tx.query<{ n: number }>('SELECT count(*) AS n FROM nonces WHERE station_id = $1', [stationId]);
    if ((live[0]?.n ?? 0) >= MAX_LIVE_NONCES_PER_STATION) {
      throw new SyncError('request.throttled', `${stationId} holds ${MAX_LIVE_NONCES_PER_STATION} unused nonces`);
    }
    const nonce = randomBytes(32).toString('hex');
    await tx.query('INSERT INTO nonces (value, station_id, created_at) VALUES ($1, $2, $3)', [nonce, stationId, now]);
    return nonce;
  });
}

/**
 * Uses a nonce: one `DELETE … RETURNING`, so of two requests carrying it — on one instance or two —
 * exactly one gets the row. It must belong to this station, which must still be unrevoked, and be
 * younger than ten minutes.
 */
export async function consumeNonce(sql: Sql, nonce: string, stationId: string, now: Date): Promise<boolean> {
  const rows = await sql.query(
    `DELETE FROM nonces n USING stations s
      WHERE n.value = $1 AND n.station_id = $2 AND n.created_at > $3
        AND s.id = n.station_id AND s.revoked_at IS NULL
      RETURNING n.value`,
    [nonce, stationId, new Date(now.getTime() - NONCE_TTL_MS)],
  );
  return rows.length === 1;
}
