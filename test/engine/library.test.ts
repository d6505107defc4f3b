import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemDetail, ItemSummary, LibraryQuery } from '../../src/shared/schemas';
import { getMediaFixtures, type FixtureName } from '../fixtures';
import { codeOf, openStation, sha256File, type TestStation } from './harness';

/** Library queries and recorded-time corrections, on items imported from the generated fixtures. */

const IMPORTED: FixtureName[] = [
  'h264',
  'hevc',
  'located',
  'photoGps',
  'photoNoOffset',
  'bodycam',
  'audio',
  'truncated',
  'chineseName',
];

let station: TestStation;
let all: ItemDetail[];

const byName = (name: string): ItemDetail => {
  const item = all.find((i) => i.originalName === name);
  if (!item) throw new Error(`no item ${name}`);
  return item;
};

const names = (items: ItemSummary[]): string[] => items.map((i) => i.originalName);
const query = async (q: LibraryQuery) => station.call('library.query', q);

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait(IMPORTED.map((n) => fx[n]));
  expect(record.counts).toMatchObject({ imported: 8, undecodable: 1 });
  all = await Promise.all(record.files.map((f) => station.call('items.get', { id: f.itemId! })));
});

afterAll(async () => {
  await station?.cleanup();
});

describe('library.query', () => {
  it('lists everything, newest import first by default, with the total', async () => {
    const page = await query({});
    expect(page.total).toBe(9);
    expect(page.items.map((i) => i.id).sort()).toEqual(all.map((i) => i.id).sort());
    const importedAt = page.items.map((i) => Date.parse(i.importedAt));
    expect(importedAt).toEqual([...importedAt].sort((a, b) => b - a));
  });

  it('matches text in names, case-insensitively, and hash prefixes', async () => {
    expect(names((await query({ text: 'LOCATED' })).items)).toEqual(['located.mov']);
    const h264 = byName('h264.mp4');
    expect(names((await query({ text: h264.sha256.slice(0, 12) })).items)).toEqual(['h264.mp4']);
    expect(names((await query({ text: h264.sha256.slice(0, 12).toUpperCase() })).items)).toEqual(['h264.mp4']);
    expect(names((await query({ text: '记录' })).items)).toEqual(['执法 记录 01.mp4']);
    // Make, model and device ids are searchable too.
    expect(names((await query({ text: 'hikvision' })).items)).toEqual(['photo_nooffset.jpg']);
    expect(names((await query({ text: 'dsj-a8' })).items)).toEqual([byName(getName('bodycam')).originalName]);
    expect((await query({ text: 'no such thing' })).total).toBe(0);
  });

  it('treats LIKE wildcards in the text as plain characters', async () => {
    expect((await query({ text: '%' })).total).toBe(0);
    const underscored = all.filter((i) => i.originalName.includes('_')).map((i) => i.originalName);
    expect(names((await query({ text: '_', sort: 'name', order: 'asc' })).items)).toEqual(underscored.sort());
    expect(underscored.length).toBeGreaterThan(0);
    expect(underscored.length).toBeLessThan(all.length);
  });

  it('filters by kind, status, device and officer', async () => {
    expect(names((await query({ kind: 'photo', sort: 'name', order: 'asc' })).items)).toEqual([
      'photo_gps.jpg',
      'photo_nooffset.jpg',
    ]);
    expect(names((await query({ kind: 'audio' })).items)).toEqual(['audio.m4a']);
    expect(names((await query({ status: 'undecodable' })).items)).toEqual(['truncated.mp4']);
    const bodycam = getName('bodycam');
    expect(names((await query({ deviceId: 'DSJ-A8' })).items)).toEqual([bodycam]);
    expect(names((await query({ officerId: '012345' })).items)).toEqual([bodycam]);
    expect((await query({ officerId: '999999' })).total).toBe(0);
    const videosOk = await query({ kind: 'video', status: 'ok' });
    expect(videosOk.total).toBe(all.filter((i) => i.kind === 'video' && i.status === 'ok').length);
    expect(await station.call('library.facets', {})).toEqual({
      deviceIds: ['DSJ-A8'],
      officerIds: ['012345'],
      cameraModels: ['BC-9', 'iPhone 15 Pro', 'DS-MCW406'].sort(),
      cameraSerials: ['SN-0042'],
    });
  });

  it('filters by recorded time as instants, whatever offset each was written with', async () => {
    // located.mov says 01:30Z; photo_gps.jpg says 09:30+08:00: the same instant.
    const range = { recordedFrom: '2026-03-01T09:00:00+08:00', recordedTo: '2026-03-01T02:00:00Z' };
    expect(names((await query({ ...range, sort: 'name', order: 'asc' })).items)).toEqual([
      'located.mov',
      'photo_gps.jpg',
    ]);
    const from = Date.parse('2026-03-01T09:00:00Z');
    const expected = all.filter((i) => i.recordedAt && Date.parse(i.recordedAt) >= from).map((i) => i.originalName);
    expect(names((await query({ recordedFrom: '2026-03-01T09:00:00Z', sort: 'name', order: 'asc' })).items)).toEqual(
      expected.sort(),
    );
    expect(expected).toContain('h264.mp4');
  });

  it('sorts by name, size and recorded time, both ways', async () => {
    const nameAsc = names((await query({ sort: 'name', order: 'asc' })).items);
    expect(nameAsc).toEqual(all.map((i) => i.originalName).sort());
    expect(names((await query({ sort: 'name', order: 'desc' })).items)).toEqual([...nameAsc].reverse());
    const sizes = (await query({ sort: 'size', order: 'asc' })).items.map((i) => i.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const recorded = (await query({ sort: 'recordedAt', order: 'desc' })).items.map((i) => Date.parse(i.recordedAt!));
    expect(recorded).toEqual([...recorded].sort((a, b) => b - a));
  });

  it('pages through a sorted list without gaps or repeats', async () => {
    const full = names((await query({ sort: 'name', order: 'asc' })).items);
    const paged: string[] = [];
    for (let offset = 0; offset < full.length; offset += 4) {
      const page = await query({ sort: 'name', order: 'asc', offset, limit: 4 });
      expect(page.total).toBe(full.length);
      paged.push(...names(page.items));
    }
    expect(paged).toEqual(full);
    expect((await query({ offset: 100 })).items).toEqual([]);
  });

  it('refuses malformed queries at the boundary', async () => {
    expect(await codeOf(query({ limit: 0 }))).toBe('input.invalid');
    expect(await codeOf(query({ limit: 501 }))).toBe('input.invalid');
    expect(await codeOf(query({ sort: 'sha256' } as unknown as LibraryQuery))).toBe('input.invalid');
    expect(await codeOf(query({ recordedFrom: 'yesterday' }))).toBe('input.invalid');
    expect(await codeOf(query({ extra: 1 } as unknown as LibraryQuery))).toBe('input.invalid');
  });
});

describe('items.correctTime', () => {
  it('corrects the recorded time as a new fact on the record, keeping the time read from the file', async () => {
    const before = byName('h264.mp4');
    const seqsBefore = before.custodySeqs.length;
    const fixed = await station.call('items.correctTime', {
      id: before.id,
      recordedAt: '2026-03-01T17:30:00+08:00',
      reason: 'camera clock was 8 hours behind',
    });
    expect(fixed).toMatchObject({
      recordedAt: '2026-03-01T17:30:00+08:00',
      recordedAtSource: 'correction',
      offsetKnown: true,
      originalRecordedAt: before.recordedAt,
      sha256: before.sha256,
    });
    expect(fixed.originalRecordedAt).toBe('2026-03-01T09:30:00Z');
    expect(fixed.corrections).toEqual([
      {
        recordedAt: '2026-03-01T17:30:00+08:00',
        previous: '2026-03-01T09:30:00Z',
        reason: 'camera clock was 8 hours behind',
        by: 'admin',
        at: expect.any(String),
      },
    ]);
    expect(fixed.custodySeqs).toHaveLength(seqsBefore + 1);
    const { entries } = await station.call('custody.list', { subject: before.id });
    expect(entries.at(-1)).toMatchObject({
      seq: fixed.custodySeqs.at(-1),
      action: 'item.correctTime',
      actor: 'admin',
      sha256: before.sha256,
      details: {
        recordedAt: '2026-03-01T17:30:00+08:00',
        previous: '2026-03-01T09:30:00Z',
        reason: 'camera clock was 8 hours behind',
      },
    });
    // The evidence itself is untouched.
    expect(await sha256File(station.engine.storedPathOf(before.sha256))).toBe(before.sha256);
  });

  it('chains a second correction to the first and moves the item in time queries', async () => {
    const item = byName('h264.mp4');
    const fixed = await station.call('items.correctTime', {
      id: item.id,
      recordedAt: '2026-03-01T01:45:00Z',
      reason: 'checked against the dispatch log',
    });
    expect(fixed.originalRecordedAt).toBe('2026-03-01T09:30:00Z');
    expect(fixed.corrections.map((c) => [c.previous, c.recordedAt])).toEqual([
      ['2026-03-01T09:30:00Z', '2026-03-01T17:30:00+08:00'],
      ['2026-03-01T17:30:00+08:00', '2026-03-01T01:45:00Z'],
    ]);
    const range = await query({
      recordedFrom: '2026-03-01T01:00:00Z',
      recordedTo: '2026-03-01T02:00:00Z',
      sort: 'recordedAt',
      order: 'asc',
    });
    // located.mov and photo_gps.jpg share an instant (01:30Z); the corrected h264.mp4 comes after.
    expect(names(range.items).slice(0, 2).sort()).toEqual(['located.mov', 'photo_gps.jpg']);
    expect(names(range.items)[2]).toBe('h264.mp4');
    expect(range.total).toBe(3);
    expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
  });

  it('refuses invalid times, an empty reason and unknown items, changing nothing', async () => {
    const item = byName('located.mov');
    const seqs = (await station.call('custody.list', { limit: 1 })).total;
    for (const recordedAt of ['yesterday', '2026-13-01T00:00:00Z', '2026-03-01T09:30:00', '', '2026-02-30T10:00:00Z']) {
      expect(
        await codeOf(station.call('items.correctTime', { id: item.id, recordedAt, reason: 'r' })),
        recordedAt,
      ).toBe('input.invalid');
    }
    expect(
      await codeOf(
        station.call('items.correctTime', { id: item.id, recordedAt: '2026-03-01T01:30:00Z', reason: '   ' }),
      ),
    ).toBe('input.invalid');
    expect(
      await codeOf(
        station.call('items.correctTime', { id: 'no-such-item', recordedAt: '2026-03-01T01:30:00Z', reason: 'r' }),
      ),
    ).toBe('item.notFound');
    const after = await station.call('items.get', { id: item.id });
    expect(after.corrections).toEqual([]);
    expect(after.recordedAt).toBe(item.recordedAt);
    expect((await station.call('custody.list', { limit: 1 })).total).toBe(seqs);
  });
});

function getName(fixture: FixtureName): string {
  return getMediaFixtures()[fixture].split('/').at(-1)!;
}
