import { afterEach } from 'vitest';
import { openDatabase, type WritableDB } from '../../src/core/db/database';
import { migrate, schemaVersion } from '../../src/core/db/migrate';
import { MIGRATIONS } from '../../src/core/db/migrations';

/**
 * Helpers for one test per migration, after Signal's `ts/test-node/sql/helpers.node.ts`: migrate a
 * fresh database to N−1, insert rows the way version N−1 stored them, migrate to N, and compare
 * what the rows became. A migration test builds its rows here in code; no database files are
 * committed.
 */

/** A fresh in-memory database with the station's pragmas, at schema version 0. */
export function createDB(): WritableDB {
  return openDatabase(':memory:');
}

/**
 * For the top of a test file: a function that opens a fresh database (`createDB`), the one that
 * test closes when it ends, so no test leaks an open database into the next.
 */
export function databasePerTest(): () => WritableDB {
  let db: WritableDB | null = null;
  afterEach(() => {
    db?.close();
    db = null;
  });
  return () => (db = createDB());
}

/** Runs the real migrations up to and including `version` (0: none); returns the version reached. */
export function updateToVersion(db: WritableDB, version: number): number {
  if (version !== 0 && !MIGRATIONS.some((m) => m.version === version)) {
    throw new Error(`no migration has version ${version}; known: ${MIGRATIONS.map((m) => m.version).join(', ')}`);
  }
  return migrate(db, version);
}

/** The version before `version` in the migration list (0 for the first). */
export function versionBefore(version: number): number {
  const index = MIGRATIONS.findIndex((m) => m.version === version);
  if (index < 0) throw new Error(`no migration has version ${version}`);
  return index === 0 ? 0 : MIGRATIONS[index - 1]!.version;
}

export type Row = Record<string, string | number | null>;

/** Inserts rows into `table`; every row must name the same columns. */
export function insertData(db: WritableDB, table: string, rows: Row[]): void {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const stmt = db.prepare(
    `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')})
     VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  db.transaction(() => rows.forEach((row) => stmt.run(row)))();
}

/** Every row of `table`, in rowid order (or primary-key order for WITHOUT ROWID tables). */
export function getTableData(db: WritableDB, table: string): Row[] {
  return db.prepare(`SELECT * FROM ${quoteIdentifier(table)}`).all() as Row[];
}

/** Names of the user tables, sorted. */
export function getTableNames(db: WritableDB): string[] {
  return (
    db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

/** Names of triggers, indexes or views, sorted. */
export function getSchemaNames(db: WritableDB, type: 'trigger' | 'index' | 'view'): string[] {
  return (
    db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all(type) as { name: string }[]
  ).map((r) => r.name);
}

/** Column names of `table`, in declaration order. */
export function getColumnNames(db: WritableDB, table: string): string[] {
  return (db.pragma(`table_info(${quoteIdentifier(table)})`) as { name: string }[]).map((c) => c.name);
}

/** The query plan of `sql`, one detail line per step: to check that a query uses an index. */
export function explain(db: WritableDB, sql: string, params: Record<string, unknown> = {}): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

export { schemaVersion };

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The rows every item hangs on, as the version-10 schema stores them: one custody entry (about
 * `subject`) and one completed import `imp-1`. Later migration tests build their data on these.
 */
export function insertImportWithCustody(db: WritableDB, subject: string, sha256: string | null): void {
  insertData(db, 'custody', [
    {
      seq: 1,
      at: '2026-03-01T09:30:00.000+08:00',
      actor: 'admin',
      station: 's1',
      action: 'import',
      subject,
      sha256,
      details: '{}',
      prev: '0'.repeat(64),
      hash: 'b'.repeat(64),
    },
  ]);
  insertData(db, 'imports', [
    {
      id: 'imp-1',
      state: 'completed',
      account: 'admin',
      station: 's1',
      started_at: '2026-03-01T09:30:00.000+08:00',
      sources: '["/media/cam"]',
      include_non_media: 0,
    },
  ]);
}
