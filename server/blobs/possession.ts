import type { Sql } from '../db/sql';

/**
 * `blob_possession` (server migration 3): the blobs each station has itself delivered. A row is
 * written only here, in the transaction that marks the station's upload finished after its bytes
 * hashed right, so a row always stands for an upload the server checked. Never deleted: a
 * station that delivered a file keeps having delivered it.
 */
export async function recordPossession(tx: Sql, p: { stationId: string; sha256: string; at: Date }): Promise<void> {
  await tx.query(
    `INSERT INTO blob_possession (station_id, sha256, source, recorded_at) VALUES ($1, $2, 'upload', $3)
     ON CONFLICT (station_id, sha256) DO NOTHING`,
    [p.stationId, p.sha256, p.at.toISOString()],
  );
}
