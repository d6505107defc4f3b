import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getTableData,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
} from '../../../../test/engine/migrationHelpers';
import { queryLibrary } from '../../library/queryLibrary';
import { LibraryQuery } from '../../../shared/schemas';

/**
 * Migration 113 keeps the number of items in `item_count`: it starts from the rows already there,
 * and triggers keep it in the transaction of each insert and delete, so the library's unfiltered
 * total is one row read instead of a scan of an index (the first query of a fresh process).
 */

const fresh = databasePerTest();
const AT = '2026-03-01T09:30:00.000+08:00';

const item = (n: number) => ({
  id: `item-${n}`,
  sha256: String(n).padStart(64, 'a'),
  size: 10,
  original_name: `A${n}.MP4`,
  relative_path: `A${n}.MP4`,
  source_path: `/media/cam/A${n}.MP4`,
  kind: 'video',
  status: 'ok',
  import_id: 'imp-1',
  imported_at: AT,
  imported_by: 'admin',
  media: '{"kind":"video"}',
  search_text: `a${n}.mp4`,
  custody_seq: 1,
});

describe('migration 113: item_count', () => {
  it('starts from the items there, follows inserts and deletes, and gives the unfiltered total', () => {
    const d = fresh();
    const before = versionBefore(113);
    expect(updateToVersion(d, before)).toBe(before);
    insertImportWithCustody(d, 'item-1', null);
    insertData(d, 'items', [item(1), item(2)]);

    expect(updateToVersion(d, 113)).toBe(113);
    expect(getTableData(d, 'item_count')).toEqual([{ only: 1, n: 2 }]);

    insertData(d, 'items', [item(3), item(4), item(5)]);
    d.prepare(`DELETE FROM items WHERE id = 'item-4'`).run();
    expect(getTableData(d, 'item_count')).toEqual([{ only: 1, n: 4 }]);
    // A rolled-back insert leaves the count as it was.
    expect(() =>
      d.transaction(() => {
        insertData(d, 'items', [item(6)]);
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(getTableData(d, 'item_count')).toEqual([{ only: 1, n: 4 }]);
    expect(() => d.prepare('INSERT INTO item_count (only, n) VALUES (2, 0)').run()).toThrow(/CHECK/);

    const all = queryLibrary(d, LibraryQuery.parse({ limit: 2 }));
    expect(all.total).toBe(4);
    expect(all.total).toBe((d.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n);
    expect(all.items).toHaveLength(2);
    expect(queryLibrary(d, LibraryQuery.parse({ kind: 'video', limit: 2 })).total).toBe(4);
    expect(queryLibrary(d, LibraryQuery.parse({ tagged: 'none', limit: 2 })).total).toBe(4);
  });
});
