import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getColumnNames,
  getTableData,
  getTableNames,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
} from '../../../../test/engine/migrationHelpers';

/**
 * Migration 70 adds tables only: a database at the version before it, holding an import, keeps
 * every row, and the new tables take an import's plan, a store intent and a quarantined file.
 */

const fresh = databasePerTest();

describe('migration 70 (store intents, import plans, quarantine)', () => {
  it('keeps existing rows and adds the three tables', () => {
    const d = fresh();
    const before = versionBefore(70);
    expect(updateToVersion(d, before)).toBe(before);
    insertImportWithCustody(d, 'imp-1', null);
    const imports = getTableData(d, 'imports');
    const custody = getTableData(d, 'custody');
    expect(getTableNames(d)).not.toContain('store_intents');

    expect(updateToVersion(d, 70)).toBe(70);
    expect(getTableData(d, 'imports')).toEqual(imports);
    expect(getTableData(d, 'custody')).toEqual(custody);
    for (const t of ['import_plan', 'store_intents', 'quarantine']) expect(getTableNames(d)).toContain(t);
    expect(getColumnNames(d, 'store_intents')).toEqual(['import_id', 'ordinal', 'temp_name', 'sha256', 'started_at']);

    d.prepare(
      `INSERT INTO import_plan (import_id, ordinal, path, relative_path, original_name, size) VALUES ('imp-1', 0, '/c/a.mp4', 'a.mp4', 'a.mp4', 5)`,
    ).run();
    d.prepare(
      `INSERT INTO store_intents (import_id, ordinal, temp_name, started_at) VALUES ('imp-1', 0, 'x.part', '2026-03-01T09:00:00.000+08:00')`,
    ).run();
    d.prepare(
      `INSERT INTO quarantine (sha256, file, size, found_at, reason) VALUES ('${'ab'.repeat(32)}', 'quarantine/ab', 5, '2026-03-01T09:00:00.000+08:00', 'test')`,
    ).run();
    expect(d.pragma('foreign_key_check')).toEqual([]);
    // An intent belongs to an import that exists.
    expect(() =>
      d
        .prepare(
          `INSERT INTO store_intents (import_id, ordinal, temp_name, started_at) VALUES ('nope', 0, 'y.part', '2026-03-01T09:00:00.000+08:00')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    // One quarantined file per name.
    expect(() =>
      d
        .prepare(
          `INSERT INTO quarantine (sha256, file, size, found_at, reason) VALUES ('x', 'quarantine/ab', 1, 'now', 'again')`,
        )
        .run(),
    ).toThrow(/UNIQUE/);
  });
});
