import type { Migration } from './migration';

/**
 * Which station has delivered which blob. The blob store keeps each file once, whoever sent it;
 * this table keeps, per station, the hashes that station itself delivered, so `/have` answers and
 * commits accept only those (a station cannot learn, nor have a receipt say, that it sent a file
 * another station sent).
 *
 * - `source`: `upload`, written in the same transaction that marks the station's upload finished
 *   (its bytes hashed to the promised SHA-256); or one of the two backfills below, so a reader of
 *   the table can tell a row proven by an upload the server watched from one carried over.
 * - Backfill, for blobs received before this migration: first every finished upload still on
 *   record (`uploads.finished_at`, kept until the upload expires), then every file listed in a
 *   verified commit's receipt, for the station that committed it. A station's receipt already
 *   says it delivered those files; the backfill keeps that statement standing, so nothing synced
 *   before has to be sent again. It cannot tell, for receipts issued before this migration, a
 *   file the station uploaded from one it only named (the flaw this migration closes).
 */
export const m003BlobPossession: Migration = {
  version: 3,
  name: 'blob possession',
  statements: [
    `CREATE TABLE blob_possession (
       station_id text NOT NULL REFERENCES stations (id),
       sha256 text NOT NULL REFERENCES blobs (sha256),
       source text NOT NULL CHECK (source IN ('upload', 'backfill-upload', 'backfill-receipt')),
       recorded_at timestamptz NOT NULL,
       PRIMARY KEY (station_id, sha256)
     )`,
    `INSERT INTO blob_possession (station_id, sha256, source, recorded_at)
     SELECT u.station_id, u.sha256, 'backfill-upload', min(u.finished_at)
     FROM uploads u JOIN blobs b ON b.sha256 = u.sha256
     WHERE u.finished_at IS NOT NULL
     GROUP BY u.station_id, u.sha256
     ON CONFLICT (station_id, sha256) DO NOTHING`,
    `INSERT INTO blob_possession (station_id, sha256, source, recorded_at)
     SELECT c.station_id, f.value ->> 'sha256', 'backfill-receipt', min(r.created_at)
     FROM commits c
     JOIN receipts r ON r.seq = c.receipt_seq
     CROSS JOIN LATERAL jsonb_array_elements(r.json::jsonb -> 'files') AS f (value)
     JOIN blobs b ON b.sha256 = f.value ->> 'sha256'
     WHERE c.verification = 'verified'
     GROUP BY c.station_id, f.value ->> 'sha256'
     ON CONFLICT (station_id, sha256) DO NOTHING`,
  ],
};
