import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getSchemaNames,
  getTableData,
  getTableNames,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
} from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 60: a database at the version before, holding a custody entry, gains the problem and
 * checkpoint tables; the entry is untouched; a problem can only be acknowledged, once; checkpoints
 * are append-only.
 */

const fresh = databasePerTest();

function migrated(): WritableDB {
  const d = fresh();
  updateToVersion(d, versionBefore(60));
  insertImportWithCustody(d, 'item-1', null);
  const before = getTableData(d, 'custody');
  expect(updateToVersion(d, 60)).toBe(60);
  expect(getTableData(d, 'custody')).toEqual(before);
  return d;
}

const problem = {
  kind: 'entriesRemoved',
  severity: 'problem',
  detected_at: '2026-03-01T09:30:00.000+08:00',
  head_seq: 3,
  head_hash: 'a'.repeat(64),
  db_seq: 1,
  first_seq: 2,
  last_seq: 3,
};

describe('migration 60', () => {
  it('adds the problem and checkpoint tables with their guards', () => {
    const d = migrated();
    expect(getTableNames(d)).toEqual(expect.arrayContaining(['custody_problems', 'custody_checkpoints']));
    expect(getSchemaNames(d, 'trigger')).toEqual(
      expect.arrayContaining([
        'custody_problems_no_delete',
        'custody_problems_ack_only',
        'custody_checkpoints_no_update',
        'custody_checkpoints_no_delete',
      ]),
    );
    expect(getSchemaNames(d, 'index')).toEqual(
      expect.arrayContaining(['case_items_added_seq', 'case_items_removed_seq']),
    );
  });

  it('keeps a problem as found: only the acknowledgement may be filled in, once; it is never deleted', () => {
    const d = migrated();
    d.prepare(
      `INSERT INTO custody_problems (kind, severity, detected_at, head_seq, head_hash, db_seq, first_seq, last_seq)
       VALUES (@kind, @severity, @detected_at, @head_seq, @head_hash, @db_seq, @first_seq, @last_seq)`,
    ).run(problem);
    expect(() => d.prepare('UPDATE custody_problems SET first_seq = 3').run()).toThrow(/only an acknowledgement/);
    expect(() => d.prepare('DELETE FROM custody_problems').run()).toThrow(/kept/);
    d.prepare(
      `UPDATE custody_problems SET acknowledged_at = 'now', acknowledged_by = 'admin', acknowledged_seq = 1`,
    ).run();
    expect(() => d.prepare(`UPDATE custody_problems SET acknowledged_by = 'mallory'`).run()).toThrow(/kept/);
    expect(() =>
      d
        .prepare(
          `INSERT INTO custody_problems (kind, severity, detected_at, db_seq) VALUES ('other', 'problem', 'x', 1)`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('keeps checkpoints append-only', () => {
    const d = migrated();
    d.prepare(
      `INSERT INTO custody_checkpoints (seq, hash, at, station_id, reason, key_fingerprint, statement, signature)
       VALUES (1, ?, 'at', 's1', 'interval', 'f', '{}', 'sig')`,
    ).run('b'.repeat(64));
    expect(() => d.prepare(`UPDATE custody_checkpoints SET signature = 'x'`).run()).toThrow(/append-only/);
    expect(() => d.prepare('DELETE FROM custody_checkpoints').run()).toThrow(/append-only/);
  });
});
