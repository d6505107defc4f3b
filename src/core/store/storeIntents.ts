import type { ReadableDB, WritableDB } from '../db/database';
import type { SourceFile } from '../import/scanSources';
import type { ImportFileResult } from '../../shared/schemas';
import { stationTimestamp } from '../util/time';

/**
 * An import's plan (every file it found) and its store intents (the copy it is making now). See
 * migration 70: recovery acts on a stored copy without an item only as an intent says.
 */

export function insertImportPlan(db: WritableDB, importId: string, files: readonly SourceFile[]): void {
  const stmt = db.prepare(
    `INSERT INTO import_plan (import_id, ordinal, path, relative_path, original_name, size, modified_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [ordinal, f] of files.entries()) {
    stmt.run(
      importId,
      ordinal,
      f.path,
      f.relativePath,
      f.originalName,
      f.size,
      f.modifiedAt ? stationTimestamp(f.modifiedAt) : null,
    );
  }
}

/** Written (and committed) before the first byte is copied. */
export function recordStoreIntent(
  db: WritableDB,
  importId: string,
  ordinal: number,
  tempName: string,
  at: string,
): void {
  db.prepare(
    `INSERT OR REPLACE INTO store_intents (import_id, ordinal, temp_name, sha256, started_at) VALUES (?, ?, ?, NULL, ?)`,
  ).run(importId, ordinal, tempName, at);
}

/** The copy's hash, known before it is moved into the store under that name. */
export function setStoreIntentHash(db: WritableDB, importId: string, ordinal: number, sha256: string): void {
  db.prepare('UPDATE store_intents SET sha256 = ? WHERE import_id = ? AND ordinal = ?').run(sha256, importId, ordinal);
}

/** In the transaction that records the file's outcome: from then on the item (or its absence) says it all. */
export function clearStoreIntent(db: WritableDB, importId: string, ordinal: number): void {
  db.prepare('DELETE FROM store_intents WHERE import_id = ? AND ordinal = ?').run(importId, ordinal);
}

export interface OpenIntents {
  tempNames: Set<string>;
  sha256s: Set<string>;
}

export function openStoreIntents(db: ReadableDB, importIds?: readonly string[]): OpenIntents {
  const rows = db.prepare('SELECT import_id, temp_name, sha256 FROM store_intents').all() as {
    import_id: string;
    temp_name: string;
    sha256: string | null;
  }[];
  const wanted = importIds ? new Set(importIds) : null;
  const out: OpenIntents = { tempNames: new Set(), sha256s: new Set() };
  for (const r of rows) {
    if (wanted && !wanted.has(r.import_id)) continue;
    out.tempNames.add(r.temp_name);
    if (r.sha256) out.sha256s.add(r.sha256);
  }
  return out;
}

export function clearImportIntents(db: WritableDB, importId: string): void {
  db.prepare('DELETE FROM store_intents WHERE import_id = ?').run(importId);
}

/** The files an import planned but never gave an outcome, as they were found at its start. */
export function unreachedFiles(db: ReadableDB, importId: string): { ordinal: number; file: ImportFileResult }[] {
  const rows = db
    .prepare(
      `SELECT p.ordinal, p.path, p.relative_path, p.original_name, p.size, p.modified_at FROM import_plan p
       WHERE p.import_id = ? AND NOT EXISTS
         (SELECT 1 FROM import_files f WHERE f.import_id = p.import_id AND f.ordinal = p.ordinal)
       ORDER BY p.ordinal`,
    )
    .all(importId) as {
    ordinal: number;
    path: string;
    relative_path: string;
    original_name: string;
    size: number;
    modified_at: string | null;
  }[];
  return rows.map((r) => ({
    ordinal: r.ordinal,
    file: {
      path: r.path,
      relativePath: r.relative_path,
      originalName: r.original_name,
      size: r.size,
      modifiedAt: r.modified_at,
      sha256: null,
      status: 'failed',
      itemId: null,
      duplicateOf: null,
      reasonCode: 'interrupted',
      reasonDetail: null,
    },
  }));
}
