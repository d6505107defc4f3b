import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getColumnNames,
  getSchemaNames,
  getTableData,
  getTableNames,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 30 in the Signal style: a database at version 20 holding imported items, migrated to
 * 30. The items table is rebuilt (import_id may now be empty for items made here), so the test
 * checks that every row and rowid survives, the full-text index still finds them, and the new
 * constraints and tables hold.
 */

const fresh = databasePerTest();

const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

function itemRow(n: number, name: string): Row {
  return {
    id: `item-${n}`,
    sha256: sha(n),
    size: 1000 + n,
    original_name: name,
    relative_path: `DCIM/${name}`,
    source_path: `/media/cam/DCIM/${name}`,
    kind: 'video',
    status: 'ok',
    import_id: 'imp-1',
    imported_at: `2026-03-01T09:3${n}:00.000+08:00`,
    imported_by: 'admin',
    media: '{"kind":"video"}',
    recorded_at_utc: `2026-03-01T01:0${n}:00.000Z`,
    duration_sec: 10 + n,
    device_id: 'DSJ-A8',
    search_text: [name, `dcim/${name}`, sha(n), 'dsj-a8'].join('\n').toLowerCase(),
    custody_seq: 1,
  };
}

/** A version-20 database with one import, its custody entry and three items whose rowids have gaps. */
function databaseAtVersion20(): WritableDB {
  const d = fresh();
  expect(updateToVersion(d, versionBefore(30))).toBe(20);
  insertImportWithCustody(d, 'imp-1', null);
  insertData(d, 'items', [
    itemRow(1, 'DSJ-A8_012345_20260301093000_0001.MP4'),
    itemRow(2, 'interview room 2.mp4'),
    itemRow(3, '执法记录仪 03.mp4'),
  ]);
  d.prepare(`UPDATE items SET rowid = rowid + 40 WHERE id = 'item-2'`).run();
  d.prepare(`DELETE FROM items WHERE id = 'item-3'`).run();
  insertData(d, 'items', [itemRow(3, '执法记录仪 03.mp4')]);
  insertData(d, 'time_corrections', [
    {
      item_id: 'item-1',
      recorded_at: '2026-03-01T09:00:00.000+08:00',
      previous: null,
      reason: 'clock was wrong',
      corrected_by: 'admin',
      corrected_at: '2026-03-02T09:00:00.000+08:00',
      custody_seq: 1,
    },
  ]);
  return d;
}

function ftsIds(d: WritableDB, term: string): string[] {
  return (
    d
      .prepare(
        `SELECT i.id FROM items_fts f JOIN items i ON i.rowid = f.rowid
         WHERE items_fts MATCH @q ORDER BY i.id`,
      )
      .all({ q: `"${term.replace(/"/g, '""')}"` }) as { id: string }[]
  ).map((r) => r.id);
}

const rowsWithRowid = (d: WritableDB): Row[] =>
  d.prepare('SELECT rowid AS _rowid, * FROM items ORDER BY rowid').all() as Row[];

describe('migration 30 (review workspace)', () => {
  it('keeps every item with its rowid, marks them imported, and the text index still finds them', () => {
    const d = databaseAtVersion20();
    const before = rowsWithRowid(d);
    expect(updateToVersion(d, 30)).toBe(30);

    const after = rowsWithRowid(d);
    expect(after.map(({ origin: _origin, ...rest }) => rest)).toEqual(before);
    expect(after.map((r) => r.origin)).toEqual(['import', 'import', 'import']);
    expect(after.map((r) => r._rowid)).toEqual(before.map((r) => r._rowid));
    expect(getColumnNames(d, 'items').at(-1)).toBe('origin');

    expect(ftsIds(d, '20260301093000')).toEqual(['item-1']);
    expect(ftsIds(d, 'view roo')).toEqual(['item-2']);
    expect(ftsIds(d, '记录仪')).toEqual(['item-3']);
    d.prepare(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`).run();
    // The rebuilt table's triggers keep the index in step.
    d.prepare(`UPDATE items SET search_text = 'renamed night patrol' WHERE id = 'item-2'`).run();
    expect(ftsIds(d, 'view roo')).toEqual([]);
    expect(ftsIds(d, 'night patrol')).toEqual(['item-2']);
  });

  it('keeps the references to items and adds the review tables', () => {
    const d = databaseAtVersion20();
    updateToVersion(d, 30);
    expect(d.pragma('foreign_key_check')).toEqual([]);
    expect(d.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(getTableData(d, 'time_corrections')).toEqual([expect.objectContaining({ item_id: 'item-1' })]);
    expect(getTableNames(d)).toEqual(
      expect.arrayContaining([
        'case_items',
        'case_numbers',
        'cases',
        'derivations',
        'markers',
        'tag_revisions',
        'tags',
        'taxonomy_versions',
        'violation_types',
      ]),
    );
    expect(getSchemaNames(d, 'index')).toEqual(
      expect.arrayContaining(['items_by_imported', 'items_by_recorded', 'items_by_device', 'items_by_officer']),
    );
    expect(() => d.prepare(`DELETE FROM items WHERE id = 'item-1'`).run()).toThrow(/FOREIGN KEY/);
  });

  it('requires an import for imported items and none for items made here', () => {
    const d = databaseAtVersion20();
    updateToVersion(d, 30);
    expect(() => insertData(d, 'items', [{ ...itemRow(4, 'a.mp4'), import_id: null }])).toThrow(/CHECK/);
    expect(() => insertData(d, 'items', [{ ...itemRow(5, 'b.mp4'), origin: 'clip' }])).toThrow(/CHECK/);
    expect(() => insertData(d, 'items', [{ ...itemRow(6, 'c.mp4'), origin: 'movie', import_id: null }])).toThrow(
      /CHECK/,
    );
    insertData(d, 'items', [{ ...itemRow(7, 'd_clip.mp4'), origin: 'clip', import_id: null }]);
    expect(ftsIds(d, 'd_clip')).toEqual(['item-7']);
    expect(() => d.prepare(`UPDATE items SET import_id = 'no-such-import' WHERE id = 'item-1'`).run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('refuses to change the record of how an item was made, a taxonomy version or a tag revision', () => {
    const d = databaseAtVersion20();
    updateToVersion(d, 30);
    insertData(d, 'items', [{ ...itemRow(7, 'd_clip.mp4'), origin: 'clip', import_id: null }]);
    insertData(d, 'derivations', [
      {
        item_id: 'item-7',
        kind: 'clip',
        source_item_id: 'item-1',
        source_sha256: sha(1),
        mode: 'exact',
        from_sec: 1,
        to_sec: 2,
        frame_count: 25,
        provenance: '{}',
        created_by: 'admin',
        created_at: '2026-03-01T09:30:00.000+08:00',
        custody_seq: 1,
      },
    ]);
    expect(() => d.prepare('UPDATE derivations SET from_sec = 0').run()).toThrow(/never changed/);
    expect(() => d.prepare('DELETE FROM derivations').run()).toThrow(/never changed/);
    insertData(d, 'taxonomy_versions', [
      { version: 1, created_at: '2026-03-01T09:30:00.000+08:00', created_by: 'station', note: 'n', custody_seq: 1 },
    ]);
    insertData(d, 'violation_types', [
      { version: 1, ordinal: 0, code: 'x', name_zh: '甲', name_en: 'X', legal_basis: '', retired: 0 },
    ]);
    expect(() => d.prepare(`UPDATE violation_types SET name_en = 'Y'`).run()).toThrow(/never changed/);
    expect(() => d.prepare('DELETE FROM taxonomy_versions').run()).toThrow(/never changed/);
    // A tag must name a type of its version.
    const tag = {
      id: 't1',
      item_id: 'item-1',
      revision: 1,
      taxonomy_version: 1,
      code: 'x',
      note: '',
      created_by: 'admin',
      created_at: '2026-03-01T09:30:00.000+08:00',
      updated_by: 'admin',
      updated_at: '2026-03-01T09:30:00.000+08:00',
    };
    expect(() => insertData(d, 'tags', [{ ...tag, code: 'nope' }])).toThrow(/FOREIGN KEY/);
    insertData(d, 'tags', [tag]);
    insertData(d, 'tag_revisions', [
      {
        tag_id: 't1',
        revision: 1,
        action: 'add',
        taxonomy_version: 1,
        code: 'x',
        note: '',
        removed: 0,
        by: 'admin',
        at: '2026-03-01T09:30:00.000+08:00',
        custody_seq: 1,
      },
    ]);
    expect(() => d.prepare(`UPDATE tag_revisions SET note = 'changed'`).run()).toThrow(/append-only/);
    expect(() => d.prepare('DELETE FROM tag_revisions').run()).toThrow(/append-only/);
  });
});
