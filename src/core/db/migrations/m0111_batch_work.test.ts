import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  explain,
  getColumnNames,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
} from '../../../../test/engine/migrationHelpers';

/**
 * Migration 111 turns time corrections into clock corrections that may cover many items: a
 * correction made before it keeps every value and reads as a single typed one (`scope` `item`,
 * no offset, zone or batch); no correction can be changed or deleted afterwards; and the new
 * library filters and group lookups are served by indexes.
 */

const fresh = databasePerTest();
const AT = '2026-03-01T09:30:00.000+08:00';

describe('migration 111 (batch work)', () => {
  it('keeps earlier corrections as single ones, freezes them, and indexes the new lookups', () => {
    const d = fresh();
    const before = versionBefore(111);
    expect(updateToVersion(d, before)).toBe(before);
    insertImportWithCustody(d, 'item-1', 'a'.repeat(64));
    insertData(d, 'items', [
      {
        id: 'item-1',
        sha256: 'a'.repeat(64),
        size: 10,
        original_name: 'A.MP4',
        relative_path: 'A.MP4',
        source_path: '/media/cam/A.MP4',
        kind: 'video',
        status: 'ok',
        import_id: 'imp-1',
        imported_at: AT,
        imported_by: 'admin',
        media: '{"kind":"video"}',
        recorded_at: '2026-03-01T09:00:00+08:00',
        recorded_at_utc: '2026-03-01T01:00:00.000Z',
        original_recorded_at: '2026-03-01T09:03:12+08:00',
        search_text: 'a.mp4',
        custody_seq: 1,
      },
    ]);
    insertData(d, 'time_corrections', [
      {
        item_id: 'item-1',
        recorded_at: '2026-03-01T09:00:00+08:00',
        previous: '2026-03-01T09:03:12+08:00',
        reason: 'clock fast',
        corrected_by: 'admin',
        corrected_at: AT,
        custody_seq: 1,
      },
    ]);

    expect(updateToVersion(d, 111)).toBe(111);
    expect(getColumnNames(d, 'time_corrections')).toEqual(
      expect.arrayContaining(['shift_sec', 'zone', 'batch_id', 'scope', 'scope_ref']),
    );
    expect(d.prepare('SELECT * FROM time_corrections').all()).toEqual([
      {
        id: 1,
        item_id: 'item-1',
        recorded_at: '2026-03-01T09:00:00+08:00',
        previous: '2026-03-01T09:03:12+08:00',
        reason: 'clock fast',
        corrected_by: 'admin',
        corrected_at: AT,
        custody_seq: 1,
        shift_sec: null,
        zone: null,
        batch_id: null,
        scope: 'item',
        scope_ref: null,
      },
    ]);
    expect(() => d.prepare(`UPDATE time_corrections SET reason = 'other'`).run()).toThrow(/never changed/);
    expect(() => d.prepare('DELETE FROM time_corrections').run()).toThrow(/never changed/);
    expect(() =>
      d
        .prepare(
          `INSERT INTO time_corrections (item_id, recorded_at, previous, reason, corrected_by, corrected_at, custody_seq, scope)
           VALUES ('item-1', '2026-03-01T09:00:00+08:00', NULL, 'x', 'admin', ?, 1, 'station')`,
        )
        .run(AT),
    ).toThrow(/CHECK/);

    expect(explain(d, `SELECT id FROM items WHERE import_id = 'imp-1'`)).toMatch(/items_by_import/);
    expect(explain(d, `SELECT id FROM items WHERE origin = 'clip'`)).toMatch(/items_by_origin/);
    expect(explain(d, `SELECT item_id FROM tags WHERE code = 'x' AND removed = 0`)).toMatch(/tags_current_by_code/);
    expect(explain(d, `SELECT 1 FROM tags WHERE item_id = 'item-1' AND removed = 0`)).toMatch(/tags_current_by_item/);
  });
});
