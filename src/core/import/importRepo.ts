import { clearStoreIntent } from '../store/storeIntents';
import type { ImportFileResult, ImportOutcome, ImportRecord } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

interface ImportRow {
  id: string;
  state: ImportRecord['state'];
  account: string;
  station: string;
  started_at: string;
  finished_at: string | null;
  sources: string;
  source_device: string | null;
  include_non_media: number;
}

interface ImportFileRow {
  path: string;
  relative_path: string;
  original_name: string;
  size: number;
  modified_at: string | null;
  sha256: string | null;
  status: ImportOutcome;
  item_id: string | null;
  duplicate_of: string | null;
  reason_code: ImportFileResult['reasonCode'];
  reason_detail: string | null;
}

export function insertImport(
  db: WritableDB,
  r: {
    id: string;
    account: string;
    station: string;
    startedAt: string;
    sources: string[];
    sourceDevice: string | null;
    includeNonMedia: boolean;
  },
): void {
  db.prepare(
    `INSERT INTO imports (id, state, account, station, started_at, sources, source_device, include_non_media)
     VALUES (@id, 'running', @account, @station, @startedAt, @sources, @sourceDevice, @includeNonMedia)`,
  ).run({ ...r, sources: JSON.stringify(r.sources), includeNonMedia: r.includeNonMedia ? 1 : 0 });
}

export function insertImportFile(db: WritableDB, importId: string, ordinal: number, f: ImportFileResult): void {
  db.prepare(
    `INSERT INTO import_files (import_id, ordinal, path, relative_path, original_name, size, modified_at, sha256,
       status, item_id, duplicate_of, reason_code, reason_detail)
     VALUES (@importId, @ordinal, @path, @relativePath, @originalName, @size, @modifiedAt, @sha256,
       @status, @itemId, @duplicateOf, @reasonCode, @reasonDetail)`,
  ).run({ ...f, importId, ordinal });
  // The outcome is on record: the copy's intent (migration 70) has nothing left to say.
  clearStoreIntent(db, importId, ordinal);
}

export function finishImport(db: WritableDB, id: string, state: ImportRecord['state'], finishedAt: string): void {
  db.prepare('UPDATE imports SET state = ?, finished_at = ? WHERE id = ?').run(state, finishedAt, id);
}

/** Imports left `running` by a process that died: they ended, unfinished, when it did. */
export function findInterruptedImports(db: ReadableDB): string[] {
  return (db.prepare(`SELECT id FROM imports WHERE state = 'running'`).all() as { id: string }[]).map((r) => r.id);
}

function toFileResult(r: ImportFileRow): ImportFileResult {
  return {
    path: r.path,
    relativePath: r.relative_path,
    originalName: r.original_name,
    size: r.size,
    modifiedAt: r.modified_at,
    sha256: r.sha256,
    status: r.status,
    itemId: r.item_id,
    duplicateOf: r.duplicate_of,
    reasonCode: r.reason_code,
    reasonDetail: r.reason_detail,
  };
}

function countsOf(db: ReadableDB, id: string): Record<ImportOutcome, number> {
  const counts: Record<ImportOutcome, number> = { imported: 0, duplicate: 0, undecodable: 0, skipped: 0, failed: 0 };
  const rows = db
    .prepare('SELECT status, count(*) AS n FROM import_files WHERE import_id = ? GROUP BY status')
    .all(id) as {
    status: ImportOutcome;
    n: number;
  }[];
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

function idsOf(db: ReadableDB, id: string, column: 'device_id' | 'officer_id'): string[] {
  return (
    db
      .prepare(
        `SELECT DISTINCT it.${column} AS v FROM import_files f JOIN items it ON it.id = coalesce(f.item_id, f.duplicate_of)
         WHERE f.import_id = ? AND it.${column} IS NOT NULL ORDER BY v`,
      )
      .all(id) as { v: string }[]
  ).map((r) => r.v);
}

function toRecord(db: ReadableDB, row: ImportRow, files: ImportFileResult[] | null): ImportRecord {
  const counts = countsOf(db, row.id);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  // A skipped file that is not empty was not stored: wiping the camera would lose it.
  const needsAttention = (
    db
      .prepare(
        `SELECT count(*) AS n FROM import_files WHERE import_id = ?
         AND (status = 'failed' OR (status = 'skipped' AND reason_code IS NOT 'empty'))`,
      )
      .get(row.id) as { n: number }
  ).n;
  return {
    id: row.id,
    state: row.state,
    account: row.account,
    station: row.station,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    sources: JSON.parse(row.sources) as string[],
    sourceDevice: row.source_device,
    deviceIds: idsOf(db, row.id, 'device_id'),
    officerIds: idsOf(db, row.id, 'officer_id'),
    files: files ?? [],
    counts,
    safeToWipe: row.state === 'completed' && total > 0 && needsAttention === 0,
  };
}

export function getImportRecord(db: ReadableDB, id: string): ImportRecord | null {
  const row = db.prepare('SELECT * FROM imports WHERE id = ?').get(id) as ImportRow | undefined;
  if (!row) return null;
  const files = (
    db.prepare('SELECT * FROM import_files WHERE import_id = ? ORDER BY ordinal').all(id) as ImportFileRow[]
  ).map(toFileResult);
  return toRecord(db, row, files);
}

export function listImports(db: ReadableDB, limit: number): Omit<ImportRecord, 'files'>[] {
  const rows = db.prepare('SELECT * FROM imports ORDER BY started_at DESC LIMIT ?').all(limit) as ImportRow[];
  return rows.map((row) => {
    const { files: _files, ...rest } = toRecord(db, row, null);
    return rest;
  });
}
