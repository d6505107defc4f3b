import type { Sql } from '../db/sql';

/** An upload in progress (or finished and placed in the blob store), as the server records it. */
export interface UploadRow {
  id: string;
  stationId: string;
  sha256: string;
  size: number | null;
  name: string;
  createdAt: Date;
  finishedAt: Date | null;
}

interface Row {
  id: string;
  station_id: string;
  sha256: string;
  size: number | string | null;
  name: string;
  created_at: Date | string;
  finished_at: Date | string | null;
}

function toUpload(r: Row): UploadRow {
  return {
    id: r.id,
    stationId: r.station_id,
    sha256: r.sha256,
    size: r.size === null ? null : Number(r.size),
    name: r.name,
    createdAt: new Date(r.created_at),
    finishedAt: r.finished_at === null ? null : new Date(r.finished_at),
  };
}

export async function insertUpload(
  sql: Sql,
  u: { id: string; stationId: string; sha256: string; size: number; name: string; createdAt: Date },
): Promise<void> {
  await sql.query(
    'INSERT INTO uploads (id, station_id, sha256, size, name, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [u.id, u.stationId, u.sha256, u.size, u.name, u.createdAt.toISOString()],
  );
}

export async function findUpload(sql: Sql, id: string): Promise<UploadRow | null> {
  const [row] = await sql.query<Row>(
    'SELECT id, station_id, sha256, size, name, created_at, finished_at FROM uploads WHERE id = $1',
    [id],
  );
  return row ? toUpload(row) : null;
}

export async function markUploadFinished(sql: Sql, id: string, at: Date): Promise<void> {
  await sql.query('UPDATE uploads SET finished_at = $2 WHERE id = $1 AND finished_at IS NULL', [id, at.toISOString()]);
}

export async function deleteUpload(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM uploads WHERE id = $1', [id]);
}

/** Rows of uploads made before `before`: unfinished ones have expired, finished ones are no longer asked about. */
export async function uploadsCreatedBefore(sql: Sql, before: Date): Promise<UploadRow[]> {
  const rows = await sql.query<Row>(
    'SELECT id, station_id, sha256, size, name, created_at, finished_at FROM uploads WHERE created_at < $1 ORDER BY created_at',
    [before.toISOString()],
  );
  return rows.map(toUpload);
}
