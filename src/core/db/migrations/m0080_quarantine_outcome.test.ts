import { afterEach, describe, expect, it } from 'vitest';
import { createDB, getColumnNames, updateToVersion } from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 80 says what became of each quarantined file: rows resolved before it left their file
 * in `quarantine/`, so they become `kept`; unresolved rows stay open; only the three outcomes fit.
 */

let db: WritableDB | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

const AT = '2026-03-01T09:00:00.000+08:00';

describe('migration 80 (quarantine outcome)', () => {
  it('marks earlier resolutions as kept, leaves open rows open and refuses other outcomes', () => {
    const d = (db = createDB());
    expect(updateToVersion(d, 70)).toBe(70);
    const insert = d.prepare(
      'INSERT INTO quarantine (sha256, file, size, found_at, reason, resolved_at, resolved_by, resolution) VALUES (?, ?, 1, ?, ?, ?, ?, ?)',
    );
    insert.run('a'.repeat(64), 'quarantine/a', AT, 'test', AT, 'admin', 'looked at it');
    insert.run('b'.repeat(64), 'quarantine/b', AT, 'test', null, null, null);

    expect(updateToVersion(d, 80)).toBe(80);
    expect(getColumnNames(d, 'quarantine')).toEqual(expect.arrayContaining(['outcome', 'released_to']));
    const rows = d.prepare('SELECT file, outcome FROM quarantine ORDER BY id').all();
    expect(rows).toEqual([
      { file: 'quarantine/a', outcome: 'kept' },
      { file: 'quarantine/b', outcome: null },
    ]);
    expect(() => d.prepare(`UPDATE quarantine SET outcome = 'deleted' WHERE file = 'quarantine/b'`).run()).toThrow(
      /CHECK/,
    );
  });
});
