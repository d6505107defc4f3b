import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { codeOf, importedItem, openStation, type TestStation } from './harness';

/**
 * Cases on a real station: numbers from the configured format (with a clock the test moves across
 * a year's end), items added and removed with custody entries, drafts only, and the case's items
 * on one time axis.
 */

let station: TestStation;
/** The station's clock; tests move it forward only, so sessions stay fresh. */
let clock = new Date(2026, 11, 31, 23, 50, 0);
const items: Record<'h264' | 'located' | 'png' | 'audio', { id: string; sha256: string }> = {} as never;

/** Changes the database behind the engine's back, as a later issue's sealing would. */
function sql(statement: string, ...params: unknown[]): void {
  const db = new Database(join(station.dataDir, 'station.db'));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

const tick = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation({ now: () => clock });
  const record = await station.importAndWait([fx.h264, fx.located, fx.photoPng, fx.audio]);
  items.h264 = importedItem(record, 'h264.mp4');
  items.located = importedItem(record, 'located.mov');
  items.png = importedItem(record, 'photo.png');
  items.audio = importedItem(record, 'audio.m4a');
  // A PNG without metadata is dated by its file time; this one is made to have no time at all.
  sql(
    'UPDATE items SET recorded_at = NULL, recorded_at_utc = NULL, recorded_at_source = NULL WHERE id = ?',
    items.png.id,
  );
});

afterAll(async () => {
  await station?.cleanup();
});

const caseEntries = async (caseId: string) =>
  (await station.call('custody.list', { subject: caseId, limit: 500 })).entries;

describe('case numbers', () => {
  it('follow the station format, count per year, and start again in a new year', async () => {
    const first = await station.call('cases.create', { title: 'Stall on Nanjing Road' });
    const second = await station.call('cases.create', { title: 'Second' });
    expect([first.number, second.number]).toEqual(['ZF-2026-00001', 'ZF-2026-00002']);
    tick(15); // 00:05 on 1 January, station time
    const nextYear = await station.call('cases.create', { title: 'New year' });
    expect(nextYear.number).toBe('ZF-2027-00001');

    await station.call('settings.update', {
      caseNumberFormat: '{STATION}/{YYYY}{MM}{DD}/{SEQ:3}',
      stationName: 'East-1',
    });
    expect((await station.call('cases.create', { title: 'Daily' })).number).toBe('East-1/20270101/001');
    await station.call('settings.update', { caseNumberFormat: 'ZF-{YYYY}-{SEQ:5}' });
    expect((await station.call('cases.create', { title: 'Back' })).number).toBe('ZF-2027-00002');

    // A format without {SEQ} or with an unknown placeholder is refused when it is saved.
    expect(await codeOf(station.call('settings.update', { caseNumberFormat: 'ZF-{YYYY}' }))).toBe('input.invalid');
    expect(await codeOf(station.call('settings.update', { caseNumberFormat: '{YEAR}-{SEQ}' }))).toBe(
      'case.numberFormat',
    );
    expect((await station.call('settings.get', {})).caseNumberFormat).toBe('ZF-{YYYY}-{SEQ:5}');
  });

  it('skips a number an earlier format already produced', async () => {
    await station.call('settings.update', { caseNumberFormat: 'ZF-{YYYY}-{SEQ}' });
    const taken = await station.call('cases.create', { title: 'no padding' });
    await station.call('settings.update', { caseNumberFormat: 'ZF-{YYYY}-{SEQ:1}' });
    const next = await station.call('cases.create', { title: 'same text, other scope' });
    expect([taken.number, next.number]).toEqual(['ZF-2027-1', 'ZF-2027-2']);
    await station.call('settings.update', { caseNumberFormat: 'ZF-{YYYY}-{SEQ:5}' });
  });
});

describe('cases.create, get and update', () => {
  it('creates a draft with its custody entry, found by id or number', async () => {
    const events: string[] = [];
    const off = station.engine.on('cases.changed', (p) => events.push(p.caseId));
    const created = await station.call('cases.create', {
      title: 'Barbecue at night market',
      place: '南京东路 100 号',
      occurredAt: '2027-01-01T08:00:00+08:00',
      parties: [{ kind: 'vehicle', name: '沪A·12345' }],
      notes: 'complaint 12345',
    });
    off();
    expect(events).toEqual([created.id]);
    expect(created).toMatchObject({
      state: 'draft',
      title: 'Barbecue at night market',
      place: '南京东路 100 号',
      parties: [{ kind: 'vehicle', name: '沪A·12345', detail: '' }],
      itemCount: 0,
      items: [],
      createdBy: 'admin',
    });
    expect(await station.call('cases.get', { ref: created.number })).toEqual(created);
    expect(await station.call('cases.get', { ref: created.id })).toEqual(created);
    expect(await codeOf(station.call('cases.get', { ref: 'ZF-1999-00001' }))).toBe('case.notFound');
    const [entry] = await caseEntries(created.id);
    expect(entry).toMatchObject({ action: 'case.create', actor: 'admin', sha256: null });
    expect(entry!.details).toMatchObject({ number: created.number, title: created.title, place: created.place });
  });

  it('updates only what changed, and logs the changed fields', async () => {
    const c = await station.call('cases.create', { title: 'Before', place: 'A' });
    tick(1);
    const updated = await station.call('cases.update', { id: c.id, title: 'After', place: 'A', notes: 'n' });
    expect(updated).toMatchObject({ title: 'After', place: 'A', notes: 'n' });
    expect(updated.updatedAt).not.toBe(c.updatedAt);
    await station.call('cases.update', { id: c.id, title: 'After' });
    const entries = await caseEntries(c.id);
    expect(entries.map((e) => e.action)).toEqual(['case.create', 'case.update']);
    expect(entries[1]!.details).toEqual({
      number: c.number,
      changed: { title: { from: 'Before', to: 'After' }, notes: { from: '', to: 'n' } },
    });
  });
});

describe('case items', () => {
  let c: CaseDetail;

  beforeAll(async () => {
    c = await station.call('cases.create', { title: 'Evidence on one axis' });
  });

  it('adds items once each, with one custody entry per added item', async () => {
    const added = await station.call('cases.addItems', { caseId: c.id, itemIds: [items.h264.id, items.png.id] });
    expect(added.itemCount).toBe(2);
    const again = await station.call('cases.addItems', {
      caseId: c.id,
      itemIds: [items.h264.id, items.located.id, items.located.id],
    });
    expect(again.items.map((i) => i.item.id).sort()).toEqual([items.h264.id, items.png.id, items.located.id].sort());
    expect(
      await codeOf(station.call('cases.addItems', { caseId: c.id, itemIds: [items.audio.id, 'no-such-item'] })),
    ).toBe('item.notFound');
    expect((await station.call('cases.get', { ref: c.id })).itemCount).toBe(3);
    const entries = (await caseEntries(c.id)).filter((e) => e.action === 'case.addItem');
    expect(entries.map((e) => [e.sha256, e.details.itemId, e.subject])).toEqual([
      [items.h264.sha256, items.h264.id, c.id],
      [items.png.sha256, items.png.id, c.id],
      [items.located.sha256, items.located.id, c.id],
    ]);
  });

  it('orders the items on one time axis by recorded time, items without one last', async () => {
    await station.call('tags.add', { itemId: items.h264.id, code: 'open-air-barbecue', fromSec: 1, toSec: 2 });
    const detail = await station.call('cases.get', { ref: c.number });
    expect(detail.items.map((i) => i.item.originalName)).toEqual(['located.mov', 'h264.mp4', 'photo.png']);
    const [located, h264, png] = detail.items;
    expect(located).toMatchObject({ startsAt: '2026-03-01T01:30:00.000Z', endsAt: '2026-03-01T01:30:02.000Z' });
    expect(h264).toMatchObject({ startsAt: '2026-03-01T09:30:00.000Z', endsAt: '2026-03-01T09:30:03.000Z' });
    expect(png).toMatchObject({ startsAt: null, endsAt: null, derivation: null, addedBy: 'admin' });
    expect(h264!.tags.map((t) => [t.code, t.fromSec, t.toSec])).toEqual([['open-air-barbecue', 1, 2]]);
  });

  it('places a clip at its source time plus its start, with how it was made', async () => {
    const clip = await station.call('clips.create', {
      jobId: 'case-test-clip-1',
      itemId: items.h264.id,
      fromSec: 1,
      toSec: 2,
      mode: 'exact',
    });
    const withClip = await station.call('cases.addItems', { caseId: c.id, itemIds: [clip.item.id] });
    expect(withClip.items.map((i) => i.item.id)).toEqual([items.located.id, items.h264.id, clip.item.id, items.png.id]);
    const entry = withClip.items[2]!;
    expect(entry).toMatchObject({ startsAt: '2026-03-01T09:30:01.000Z', endsAt: '2026-03-01T09:30:02.000Z' });
    expect(entry.derivation).toEqual(clip.derivation);
    await station.call('cases.removeItem', { caseId: c.id, itemId: clip.item.id, reason: 'the source is enough' });
  });

  it('removes an item with a reason on the record, and may add it back', async () => {
    expect(await codeOf(station.call('cases.removeItem', { caseId: c.id, itemId: items.png.id, reason: ' ' }))).toBe(
      'input.invalid',
    );
    const after = await station.call('cases.removeItem', {
      caseId: c.id,
      itemId: items.png.id,
      reason: 'unrelated photo',
    });
    expect(after.items.map((i) => i.item.id)).not.toContain(items.png.id);
    expect(after.itemCount).toBe(2);
    expect(
      await codeOf(station.call('cases.removeItem', { caseId: c.id, itemId: items.png.id, reason: 'again' })),
    ).toBe('case.itemNotInCase');
    const removal = (await caseEntries(c.id)).find(
      (e) => e.action === 'case.removeItem' && e.details.itemId === items.png.id,
    );
    expect(removal).toMatchObject({
      sha256: items.png.sha256,
      details: { itemId: items.png.id, reason: 'unrelated photo' },
    });
    expect((await station.call('cases.addItems', { caseId: c.id, itemIds: [items.png.id] })).itemCount).toBe(3);
  });

  it('changes only draft cases: a sealed one is refused as sealed', async () => {
    const sealed = await station.call('cases.create', { title: 'Sealed' });
    await station.call('cases.addItems', { caseId: sealed.id, itemIds: [items.audio.id] });
    sql(`UPDATE cases SET state = 'sealed' WHERE id = ?`, sealed.id);
    const refusal = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => e,
      );
    expect(
      await refusal(station.call('cases.addItems', { caseId: sealed.id, itemIds: [items.h264.id] })),
    ).toMatchObject({
      code: 'case.sealed',
      params: { number: sealed.number, version: 1 },
    });
    expect(
      await codeOf(station.call('cases.removeItem', { caseId: sealed.id, itemId: items.audio.id, reason: 'x' })),
    ).toBe('case.sealed');
    expect(await codeOf(station.call('cases.update', { id: sealed.id, title: 'x' }))).toBe('case.sealed');
    expect(await station.call('cases.get', { ref: sealed.id })).toMatchObject({ state: 'sealed', itemCount: 1 });
  });
});

describe('cases.list', () => {
  it('finds cases by number, title, place and party, filters by state, newest first', async () => {
    tick(1);
    const a = await station.call('cases.create', {
      title: 'Shop sign over the pavement',
      place: '淮海中路',
      parties: [{ kind: 'business', name: '老王烧烤店' }],
    });
    tick(1);
    const b = await station.call('cases.create', { title: 'Muck truck 100%_covered?' });
    const all = await station.call('cases.list', {});
    expect(all.cases[0]!.id).toBe(b.id);
    expect(all.cases[1]!.id).toBe(a.id);
    const created = all.cases.map((x) => Date.parse(x.createdAt));
    expect(created).toEqual([...created].sort((x, y) => y - x));

    const ids = async (text: string) => (await station.call('cases.list', { text })).cases.map((x) => x.id);
    expect(await ids('烧烤店')).toEqual([a.id]);
    expect(await ids('淮海')).toEqual([a.id]);
    expect(await ids('SHOP SIGN')).toEqual([a.id]);
    expect(await ids(a.number)).toEqual([a.id]);
    expect(await ids('100%_')).toEqual([b.id]);
    expect(await ids('%')).toEqual([b.id]);

    const sealed = await station.call('cases.list', { state: 'sealed' });
    expect(sealed.cases.map((x) => [x.title, x.itemCount])).toEqual([['Sealed', 1]]);
    expect(sealed.total).toBe(1);
    const page = await station.call('cases.list', { limit: 1, offset: 1 });
    expect(page.cases.map((x) => x.id)).toEqual([a.id]);
    expect(page.total).toBe(all.total);
  });
});
