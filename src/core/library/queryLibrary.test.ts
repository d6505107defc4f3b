import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LibraryQuery, type MediaInfo, type MediaKind } from '../../shared/schemas';
import { appendCustody } from '../custody/custodyLog';
import { openDatabase, type WritableDB } from '../db/database';
import { migrate } from '../db/migrate';
import { insertImport } from '../import/importRepo';
import { insertItem } from './itemsRepo';
import { libraryFacets, MIN_FTS_CHARS, queryLibrary, quoteFtsTerm } from './queryLibrary';

/**
 * queryLibrary on a real in-memory SQLite at the newest schema: FTS5 quoting, the LIKE fallback
 * for short terms, and every way of writing the page query checked against a plain JavaScript
 * filter-and-sort over the same rows.
 */

interface ItemSpec {
  name: string;
  kind?: MediaKind;
  status?: 'ok' | 'undecodable';
  size?: number;
  importedAt?: string;
  recordedAt?: string | null;
  deviceId?: string;
  officerId?: string;
  make?: string;
  model?: string;
  serial?: string;
}

let db: WritableDB | null = null;
afterEach(() => {
  db?.close();
  db = null;
});

function openLibrary(specs: ItemSpec[]): WritableDB {
  const d = (db = openDatabase(':memory:'));
  migrate(d);
  insertImport(d, {
    id: 'imp-1',
    account: 'admin',
    station: 's1',
    startedAt: '2026-03-01T09:00:00.000+08:00',
    sources: ['/media/cam'],
    sourceDevice: null,
    includeNonMedia: false,
  });
  d.transaction(() => {
    specs.forEach((s, n) => {
      const sha256 = createHash('sha256').update(`item ${n}`).digest('hex');
      const id = `item-${String(n).padStart(4, '0')}`;
      const entry = appendCustody(d, {
        at: '2026-03-01T09:00:00.000+08:00',
        actor: 'admin',
        station: 's1',
        action: 'import',
        subject: id,
        sha256,
        details: {},
      });
      const kind = s.kind ?? 'video';
      const media: MediaInfo = {
        kind,
        ...(s.recordedAt ? { recordedAt: s.recordedAt, recordedAtSource: 'container' as const } : {}),
        ...(s.deviceId ? { deviceId: s.deviceId } : {}),
        ...(s.officerId ? { officerId: s.officerId } : {}),
        ...(s.make ? { make: s.make } : {}),
        ...(s.model ? { model: s.model } : {}),
        ...(s.serial ? { serial: s.serial } : {}),
      };
      insertItem(d, {
        id,
        sha256,
        size: s.size ?? 1000 + n,
        originalName: s.name,
        relativePath: `DCIM/${s.name}`,
        sourcePath: `/media/cam/DCIM/${s.name}`,
        sourceDevice: null,
        modifiedAt: null,
        kind,
        status: s.status ?? 'ok',
        reason: null,
        importId: 'imp-1',
        importedAt: s.importedAt ?? '2026-03-01T09:00:00.000+08:00',
        importedBy: 'admin',
        media,
        custodySeq: entry.seq,
      });
    });
  })();
  return d;
}

const run = (d: WritableDB, input: LibraryQuery) => queryLibrary(d, LibraryQuery.parse(input));
const namesFor = (d: WritableDB, input: LibraryQuery): string[] =>
  run(d, { sort: 'name', order: 'asc', limit: 500, ...input }).items.map((i) => i.originalName);

/** Takes `id`'s row out of the trigram index only, so a search that finds it did not use the index. */
function unindex(d: WritableDB, originalName: string): void {
  d.prepare(
    `INSERT INTO items_fts (items_fts, rowid, search_text)
     SELECT 'delete', rowid, search_text FROM items WHERE original_name = ?`,
  ).run(originalName);
}

describe('quoteFtsTerm', () => {
  it('writes the term as one FTS5 string, doubling quotes', () => {
    expect(quoteFtsTerm('abc')).toBe('"abc"');
    expect(quoteFtsTerm('say "hi"')).toBe('"say ""hi"""');
    expect(quoteFtsTerm('a* AND b')).toBe('"a* AND b"');
  });
});

describe('text search', () => {
  const SPECIAL = [
    'report "final" and draft.mp4',
    'a*b.mp4',
    'ab.mp4',
    'x or y.mp4',
    'cam:1^2 (copy).mp4',
    'near(this, that).mp4',
    "it's; drop table items; --.mp4",
    '100%_done.mp4',
    'plain.mp4',
    'hand.mp4',
  ];

  it('takes FTS5 syntax in the term as plain characters', () => {
    const d = openLibrary(SPECIAL.map((name) => ({ name })));
    const cases: [string, string[]][] = [
      ['"final"', ['report "final" and draft.mp4']],
      ['"final" and', ['report "final" and draft.mp4']],
      ['a*b', ['a*b.mp4']],
      ['AND', ['hand.mp4', 'report "final" and draft.mp4']],
      ['AND draft', ['report "final" and draft.mp4']],
      [' OR y', ['x or y.mp4']],
      ['NOT', []],
      ['cam:1^2', ['cam:1^2 (copy).mp4']],
      ['(copy)', ['cam:1^2 (copy).mp4']],
      ['near(this', ['near(this, that).mp4']],
      ['NEAR(this, that)', ['near(this, that).mp4']],
      ["'s; drop table items; --", ["it's; drop table items; --.mp4"]],
      ['0%_', ['100%_done.mp4']],
      ['"""', []],
      ['***', []],
      ['a"b', []],
    ];
    for (const [term, expected] of cases) {
      expect(namesFor(d, { text: term }), term).toEqual([...expected].sort());
      expect(run(d, { text: term }).total, term).toBe(expected.length);
    }
    // Still there, and still indexed.
    expect(run(d, {}).total).toBe(SPECIAL.length);
    expect(namesFor(d, { text: 'plain' })).toEqual(['plain.mp4']);
  });

  it('answers terms of three characters or more from the trigram index, shorter ones with LIKE', () => {
    expect(MIN_FTS_CHARS).toBe(3);
    const d = openLibrary([{ name: 'xyz-1.mp4' }, { name: 'xyz-2.mp4' }, { name: '执法记录仪.mp4' }]);
    unindex(d, 'xyz-2.mp4');
    // The index no longer holds xyz-2: only a LIKE over the rows can still find it.
    expect(namesFor(d, { text: 'xyz' })).toEqual(['xyz-1.mp4']);
    expect(namesFor(d, { text: 'xy' })).toEqual(['xyz-1.mp4', 'xyz-2.mp4']);
    expect(namesFor(d, { text: 'z' })).toEqual(['xyz-1.mp4', 'xyz-2.mp4']);
    // Characters, not UTF-16 units or bytes: two Chinese characters are a short term.
    expect(namesFor(d, { text: '记录' })).toEqual(['执法记录仪.mp4']);
    expect(namesFor(d, { text: '记录仪' })).toEqual(['执法记录仪.mp4']);
  });

  it('keeps LIKE wildcards literal in short terms', () => {
    const d = openLibrary(SPECIAL.map((name) => ({ name })));
    expect(namesFor(d, { text: '%' })).toEqual(['100%_done.mp4']);
    expect(namesFor(d, { text: '_' })).toEqual(['100%_done.mp4']);
    expect(namesFor(d, { text: '*' })).toEqual(['a*b.mp4']);
    expect(namesFor(d, { text: '"' })).toEqual(['report "final" and draft.mp4']);
  });

  it('is case-insensitive and ignores surrounding spaces, finding hash prefixes and metadata', () => {
    const d = openLibrary([{ name: 'Night Patrol.MP4', make: 'Hikvision' }, { name: 'other.mp4' }]);
    const sha = createHash('sha256').update('item 0').digest('hex');
    expect(namesFor(d, { text: '  PATROL ' })).toEqual(['Night Patrol.MP4']);
    expect(namesFor(d, { text: 'hikVISION' })).toEqual(['Night Patrol.MP4']);
    expect(namesFor(d, { text: sha.slice(0, 8).toUpperCase() })).toEqual(['Night Patrol.MP4']);
    expect(namesFor(d, { text: sha })).toEqual(['Night Patrol.MP4']);
  });

  it('matches nothing for a term holding U+0000, which SQLite would cut short', () => {
    const d = openLibrary([{ name: 'abc.mp4' }]);
    expect(run(d, { text: 'abc\0' })).toEqual({ items: [], total: 0 });
    expect(run(d, { text: '\0' })).toEqual({ items: [], total: 0 });
  });

  it('finds items added, renamed in their text, and removed after the index was built', () => {
    const d = openLibrary([{ name: 'first.mp4' }]);
    d.prepare(`UPDATE items SET search_text = 'renamed.mp4' WHERE original_name = 'first.mp4'`).run();
    expect(namesFor(d, { text: 'first' })).toEqual([]);
    expect(namesFor(d, { text: 'renamed' })).toEqual(['first.mp4']);
    d.prepare(`DELETE FROM items`).run();
    expect(run(d, { text: 'renamed' }).total).toBe(0);
  });
});

/**
 * A library shaped so that every way of writing the query is taken: most items are video (a
 * "dense" filter on early pages, a sparse one deep down), one term matches nearly everything (a
 * "broad" text), others a few; sort keys tie often and some recorded times are missing.
 */
function mixedLibrary(): ItemSpec[] {
  const kinds: MediaKind[] = ['video', 'video', 'video', 'video', 'video', 'video', 'video', 'photo', 'audio', 'other'];
  return Array.from({ length: 400 }, (_, n) => ({
    name: `${['cam', 'CAM', 'phone', 'dsj'][n % 4]}_${String(n % 37).padStart(3, '0')}${n % 53 === 0 ? '_rare' : ''}.mp4`,
    kind: kinds[n % kinds.length]!,
    status: n % 29 === 0 ? 'undecodable' : 'ok',
    size: 1000 * (n % 13),
    importedAt: `2026-03-${String(1 + (n % 9)).padStart(2, '0')}T09:00:00.000+08:00`,
    recordedAt: n % 11 === 0 ? null : `2026-02-${String(1 + (n % 23)).padStart(2, '0')}T0${n % 7}:30:00Z`,
    deviceId: `DEV-${n % 5}`,
    officerId: `OFF-${n % 3}`,
  }));
}

interface OracleRow {
  id: string;
  search_text: string;
  kind: string;
  status: string;
  device_id: string | null;
  officer_id: string | null;
  recorded_at_utc: string | null;
  imported_at: string;
  original_name: string;
  size: number;
}

/** What the query must return, computed without SQL: filter, then sort with the tiebreak and NULLS LAST. */
function expectedPage(rows: OracleRow[], q: ReturnType<typeof LibraryQuery.parse>): { ids: string[]; total: number } {
  const text = q.text?.trim().toLowerCase();
  const from = q.recordedFrom ? new Date(q.recordedFrom).toISOString() : null;
  const to = q.recordedTo ? new Date(q.recordedTo).toISOString() : null;
  const matching = rows.filter(
    (r) =>
      (!text || r.search_text.includes(text)) &&
      (!from || (r.recorded_at_utc !== null && r.recorded_at_utc >= from)) &&
      (!to || (r.recorded_at_utc !== null && r.recorded_at_utc <= to)) &&
      (!q.deviceId || r.device_id === q.deviceId) &&
      (!q.officerId || r.officer_id === q.officerId) &&
      (!q.kind || r.kind === q.kind) &&
      (!q.status || r.status === q.status),
  );
  const key = (r: OracleRow): string | number | null =>
    ({ recordedAt: r.recorded_at_utc, importedAt: r.imported_at, name: r.original_name, size: r.size })[q.sort];
  const sign = q.order === 'asc' ? 1 : -1;
  const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  matching.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1;
    } else if (ka !== kb) {
      return sign * cmp(ka, kb);
    }
    return sign * cmp(a.id, b.id);
  });
  return { ids: matching.slice(q.offset, q.offset + q.limit).map((r) => r.id), total: matching.length };
}

describe('pages and totals', () => {
  it('agree with a plain filter-and-sort for every sort, filter, text and page depth', () => {
    const d = openLibrary(mixedLibrary());
    const rows = d.prepare('SELECT * FROM items').all() as OracleRow[];
    const filters: LibraryQuery[] = [
      {},
      { kind: 'video' },
      { kind: 'audio', status: 'ok' },
      { status: 'undecodable' },
      { deviceId: 'DEV-2' },
      { officerId: 'OFF-1', recordedFrom: '2026-02-05T00:00:00Z', recordedTo: '2026-02-15T00:00:00+08:00' },
      { recordedFrom: '2026-02-03T00:00:00Z' },
      { text: 'mp4' }, // broad: every item
      { text: 'cam_' }, // half the items, with a LIKE wildcard
      { text: '_rare' },
      { text: 'dsj', kind: 'video' },
      { text: 'mp4', kind: 'photo', status: 'ok' },
      { text: 'ph' }, // short: LIKE
      { text: 'nothing like it' },
    ];
    let compared = 0;
    for (const filter of filters) {
      for (const sort of ['importedAt', 'recordedAt', 'name', 'size'] as const) {
        for (const order of ['asc', 'desc'] as const) {
          for (const [offset, limit] of [
            [0, 5],
            [3, 7],
            [150, 20],
            [330, 50],
            [395, 10],
          ] as const) {
            const q = LibraryQuery.parse({ ...filter, sort, order, offset, limit });
            const got = queryLibrary(d, q);
            const want = expectedPage(rows, q);
            const label = JSON.stringify({ ...filter, sort, order, offset, limit });
            expect(got.total, label).toBe(want.total);
            expect(
              got.items.map((i) => i.id),
              label,
            ).toEqual(want.ids);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(filters.length * 4 * 2 * 5);
  });

  it('pages through every item exactly once, in both directions', () => {
    const d = openLibrary(mixedLibrary());
    for (const order of ['asc', 'desc'] as const) {
      const seen: string[] = [];
      for (let offset = 0; offset < 400; offset += 30) {
        seen.push(...run(d, { sort: 'recordedAt', order, offset, limit: 30 }).items.map((i) => i.id));
      }
      expect(new Set(seen).size).toBe(400);
    }
    const asc = run(d, { sort: 'size', order: 'asc', limit: 500 }).items.map((i) => i.id);
    const desc = run(d, { sort: 'size', order: 'desc', limit: 500 }).items.map((i) => i.id);
    expect(desc).toEqual([...asc].reverse());
  });
});

describe('libraryFacets', () => {
  it('lists each device and officer once, ascending, without the items that have none', () => {
    expect(libraryFacets(openLibrary([]))).toEqual({
      deviceIds: [],
      officerIds: [],
      cameraModels: [],
      cameraSerials: [],
    });
    const d = openLibrary([
      { name: 'a.mp4', deviceId: 'DSJ-B2', officerId: '000200' },
      { name: 'b.mp4', deviceId: 'DSJ-A8', officerId: '000200' },
      { name: 'c.mp4' },
      { name: 'd.mp4', deviceId: 'DSJ-B2', officerId: '000100' },
      { name: 'e.mp4', deviceId: 'dsj-a8' },
    ]);
    expect(libraryFacets(d)).toEqual({
      deviceIds: ['DSJ-A8', 'DSJ-B2', 'dsj-a8'],
      officerIds: ['000100', '000200'],
      cameraModels: [],
      cameraSerials: [],
    });
  });

  it('lists each camera model and serial number the files carry', () => {
    const d = openLibrary([
      { name: 'a.mp4', make: 'GoPro', model: 'HERO9 Black', serial: 'C3441324567890' },
      { name: 'b.mov', make: 'Apple', model: 'iPhone 15 Pro' },
      { name: 'c.mp4', model: 'HERO9 Black', serial: 'C3441324500001' },
      { name: 'd.mp4' },
    ]);
    expect(libraryFacets(d)).toMatchObject({
      cameraModels: ['HERO9 Black', 'iPhone 15 Pro'],
      cameraSerials: ['C3441324500001', 'C3441324567890'],
    });
  });
});

describe('camera filters', () => {
  it('keeps the items whose file names that camera model or serial number, and searches firmware', () => {
    const d = openLibrary([
      { name: 'a.mp4', make: 'GoPro', model: 'HERO9 Black', serial: 'C3441324567890' },
      { name: 'b.mov', make: 'Apple', model: 'iPhone 15 Pro' },
      { name: 'c.mp4', model: 'HERO9 Black', serial: 'C3441324500001' },
      { name: 'd.mp4', deviceId: 'HERO9 Black' },
    ]);
    expect(namesFor(d, { cameraModel: 'HERO9 Black' })).toEqual(['a.mp4', 'c.mp4']);
    expect(namesFor(d, { cameraSerial: 'C3441324567890' })).toEqual(['a.mp4']);
    expect(namesFor(d, { cameraModel: 'HERO9 Black', cameraSerial: 'C3441324500001' })).toEqual(['c.mp4']);
    expect(namesFor(d, { cameraModel: 'hero9 black' })).toEqual([]);
    expect(namesFor(d, { text: '4567890' })).toEqual(['a.mp4']);
  });
});
