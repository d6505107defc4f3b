import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  explain,
  getColumnNames,
  getTableData,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';

/**
 * Migration 110 copies each item's make, model and serial out of its `media` JSON into columns
 * and adds an empty firmware column: every other value of every row stays as it was, items
 * without them (or with blank ones) get NULL, and the library's camera filters use the new indexes.
 */

const fresh = databasePerTest();
const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

function itemRow(n: number, media: Record<string, unknown>): Row {
  return {
    id: `item-${n}`,
    sha256: sha(n),
    size: 1000 + n,
    original_name: `clip${n}.mp4`,
    relative_path: `DCIM/clip${n}.mp4`,
    source_path: `/media/cam/DCIM/clip${n}.mp4`,
    kind: 'video',
    status: 'ok',
    import_id: 'imp-1',
    imported_at: `2026-03-01T09:3${n}:00.000+08:00`,
    imported_by: 'admin',
    media: JSON.stringify({ kind: 'video', ...media }),
    search_text: `clip${n}.mp4`,
    custody_seq: 1,
  };
}

describe('migration 110 (camera identity)', () => {
  it('copies make, model and serial from the media JSON and keeps every other value', () => {
    const d = fresh();
    const before = versionBefore(110);
    expect(updateToVersion(d, before)).toBe(before);
    insertImportWithCustody(d, 'imp-1', null);
    insertData(d, 'items', [
      itemRow(1, { make: 'Apple', model: 'iPhone 15 Pro' }),
      itemRow(2, { make: 'HIKVISION', model: 'DS-MCW406', serial: 'SN-0042' }),
      itemRow(3, {}),
      itemRow(4, { make: '  ', serial: '' }),
    ]);
    const rowsBefore = getTableData(d, 'items');

    expect(updateToVersion(d, 110)).toBe(110);
    expect(getColumnNames(d, 'items')).toEqual(expect.arrayContaining(['make', 'model', 'serial', 'firmware']));
    const rowsAfter = getTableData(d, 'items');
    expect(rowsAfter.map(({ make: _m, model: _o, serial: _s, firmware: _f, ...rest }) => rest)).toEqual(rowsBefore);
    expect(rowsAfter.map(({ id, make, model, serial, firmware }) => ({ id, make, model, serial, firmware }))).toEqual([
      { id: 'item-1', make: 'Apple', model: 'iPhone 15 Pro', serial: null, firmware: null },
      { id: 'item-2', make: 'HIKVISION', model: 'DS-MCW406', serial: 'SN-0042', firmware: null },
      { id: 'item-3', make: null, model: null, serial: null, firmware: null },
      { id: 'item-4', make: null, model: null, serial: null, firmware: null },
    ]);
  });

  it('serves the model and serial filters from their own indexes', () => {
    const d = fresh();
    updateToVersion(d, 110);
    expect(explain(d, 'SELECT id FROM items WHERE model = @m ORDER BY id', { m: 'x' })).toMatch(/items_by_model/);
    expect(explain(d, 'SELECT id FROM items WHERE serial = @s ORDER BY id', { s: 'x' })).toMatch(/items_by_serial/);
  });
});
