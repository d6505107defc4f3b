import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  explain,
  getSchemaNames,
  getTableData,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 20 in the Signal style: a database at version 10 holding items written by the
 * version-10 schema, migrated to 20; the full-text index must find those items, keep up with
 * later writes, and the new indexes must serve the library's queries.
 */

const fresh = databasePerTest();

const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

function itemRow(n: number, name: string, extra: Partial<Row> = {}): Row {
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
    device_id: 'DSJ-A8',
    officer_id: '012345',
    // As itemsRepo.searchTextOf wrote it: the searchable fields, lowercased, one per line.
    search_text: [name, `dcim/${name}`, sha(n), 'dsj-a8', '012345'].join('\n').toLowerCase(),
    custody_seq: 1,
    ...extra,
  };
}

/** A version-10 database with one import, its custody entry and three items. */
function databaseAtVersion10(): WritableDB {
  const d = fresh();
  expect(updateToVersion(d, versionBefore(20))).toBe(10);
  insertImportWithCustody(d, 'imp-1', null);
  insertData(d, 'items', [
    itemRow(1, 'DSJ-A8_012345_20260301093000_0001.MP4'),
    itemRow(2, 'interview room 2.mp4'),
    itemRow(3, '执法记录仪 03.mp4'),
  ]);
  return d;
}

/** Item ids whose search text the trigram index matches for `term`, sorted. */
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

/** FTS5's own check that the index matches the content table row for row; throws if not. */
function checkFtsIntegrity(d: WritableDB): void {
  d.prepare(`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`).run();
}

describe('migration 20 (library indexes)', () => {
  it('indexes the text of items written before it, leaving the rows as they were', () => {
    const d = databaseAtVersion10();
    const before = getTableData(d, 'items');
    expect(updateToVersion(d, 20)).toBe(20);

    expect(getTableData(d, 'items')).toEqual(before);
    expect(ftsIds(d, '20260301093000')).toEqual(['item-1']);
    expect(ftsIds(d, 'view roo')).toEqual(['item-2']);
    expect(ftsIds(d, '记录仪')).toEqual(['item-3']);
    expect(ftsIds(d, sha(2).slice(0, 12))).toEqual(['item-2']);
    expect(ftsIds(d, 'dsj-a8')).toEqual(['item-1', 'item-2', 'item-3']);
    expect(ftsIds(d, 'no such thing')).toEqual([]);
    checkFtsIntegrity(d);
  });

  it('keeps the index in step with inserts, text updates and deletes through its triggers', () => {
    const d = databaseAtVersion10();
    updateToVersion(d, 20);
    expect(getSchemaNames(d, 'trigger')).toEqual(
      expect.arrayContaining(['items_fts_delete', 'items_fts_insert', 'items_fts_update']),
    );

    insertData(d, 'items', [itemRow(4, 'night patrol.mp4')]);
    expect(ftsIds(d, 'patrol')).toEqual(['item-4']);

    d.prepare(`UPDATE items SET search_text = 'morning patrol.mp4' WHERE id = 'item-4'`).run();
    expect(ftsIds(d, 'night')).toEqual([]);
    expect(ftsIds(d, 'morning')).toEqual(['item-4']);

    // A change to another column leaves the index alone and still consistent.
    d.prepare(`UPDATE items SET size = 1 WHERE id = 'item-4'`).run();
    expect(ftsIds(d, 'morning')).toEqual(['item-4']);

    d.prepare(`DELETE FROM items WHERE id = 'item-4'`).run();
    expect(ftsIds(d, 'patrol')).toEqual([]);
    checkFtsIntegrity(d);
  });

  it('replaces the single-column indexes with ones that carry the sort tiebreak', () => {
    const d = databaseAtVersion10();
    updateToVersion(d, 20);
    const indexes = getSchemaNames(d, 'index');
    expect(indexes).toEqual(
      expect.arrayContaining([
        'items_by_device',
        'items_by_imported',
        'items_by_name',
        'items_by_officer',
        'items_by_recorded',
        'items_by_size',
      ]),
    );
    for (const gone of [
      'items_imported',
      'items_recorded',
      'items_device',
      'items_officer',
      'items_name',
      'items_size',
    ]) {
      expect(indexes).not.toContain(gone);
    }
  });

  it('serves each sort, both ways, and the common filters from an index alone', () => {
    const d = databaseAtVersion10();
    updateToVersion(d, 20);
    const pageOf = (where: string, order: string): string =>
      explain(
        d,
        `SELECT i.rowid FROM items i ${where} ORDER BY ${order} LIMIT 100 OFFSET 99000`,
        Object.fromEntries([...where.matchAll(/@(\w+)/g)].map((m) => [m[1]!, 'x'])),
      );
    // A covering index scan in sort order and no temporary b-tree: OFFSET skips index entries.
    const sorts: [string, string][] = [
      ['i.imported_at', 'items_by_imported'],
      ['i.recorded_at_utc', 'items_by_recorded'],
      ['i.original_name', 'items_by_name'],
      ['i.size', 'items_by_size'],
    ];
    for (const [column, index] of sorts) {
      for (const direction of ['ASC', 'DESC']) {
        const plan = pageOf('', `${column} ${direction} NULLS LAST, i.id ${direction}`);
        expect(plan, `${column} ${direction}`).toBe(`SCAN i USING COVERING INDEX ${index}`);
      }
    }
    const importedDesc = 'i.imported_at DESC, i.id DESC';
    // Kind and status are read from the sort index, so neither the page nor the count reads rows.
    expect(pageOf(`WHERE i.kind = @kind AND i.status = @status`, importedDesc)).toBe(
      'SCAN i USING COVERING INDEX items_by_imported',
    );
    expect(
      explain(d, `SELECT count(*) FROM items i WHERE i.kind = @k AND i.status = @s`, { k: 'audio', s: 'ok' }),
    ).toMatch(/^SCAN i USING COVERING INDEX items_by_/);
    expect(pageOf(`WHERE i.device_id = @device`, importedDesc)).toBe(
      'SEARCH i USING COVERING INDEX items_by_device (device_id=?)',
    );
    expect(
      pageOf(
        `WHERE i.officer_id = @officer AND i.recorded_at_utc >= @from AND i.recorded_at_utc <= @to`,
        'i.recorded_at_utc DESC, i.id DESC',
      ),
    ).toBe('SEARCH i USING COVERING INDEX items_by_officer (officer_id=? AND recorded_at_utc>? AND recorded_at_utc<?)');
    expect(explain(d, `SELECT rowid FROM items_fts WHERE items_fts MATCH @q`, { q: '"abc"' })).toMatch(
      /VIRTUAL TABLE INDEX 0:M/,
    );
  });
});
