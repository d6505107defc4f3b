import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_MAX_ITEMS } from '../../src/shared/batchSchemas';
import type { CustodyEntry } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { codeOf, importedItem, openStation, type TestStation } from './harness';

/**
 * Batch work on a selection (issue 11, section 3), on a real station: adding to a case, tagging
 * and correcting recorded time each take a list of ids in one transaction, write one custody entry
 * per item changed and report one outcome per item; a clock correction covers a whole import or
 * device, keeps the file's reading and logs old and new time per item; the library filters by
 * violation type, tag, case and origin; the add-to-case dialog is offered a recording's clips and
 * stills, and the tag of the range a clip was cut from.
 */

let station: TestStation;
let importId: string;
let video: { id: string; sha256: string };
let photo: { id: string; sha256: string };
let bodycam: { id: string; sha256: string };
let review: { id: string; sha256: string };
let clipId: string;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait([fx.h264, fx.photoGps, fx.bodycam, fx.review]);
  importId = record.id;
  video = importedItem(record, 'h264.mp4');
  photo = importedItem(record, 'photo_gps.jpg');
  bodycam = importedItem(record, fx.bodycam.split('/').pop()!);
  review = importedItem(record, 'review.mp4');
  const clip = await station.call('clips.create', {
    jobId: 'batch-test-clip-1',
    itemId: review.id,
    fromSec: 2.5,
    toSec: 3.5,
    mode: 'exact',
  });
  clipId = clip.item.id;
});

afterAll(async () => {
  await station?.cleanup();
});

async function entries(filter: (e: CustodyEntry) => boolean): Promise<CustodyEntry[]> {
  const { entries: all } = await station.call('custody.list', { limit: 500 });
  return all.filter(filter);
}

function readDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

async function total(query: Parameters<TestStation['call']>[1] & object): Promise<number> {
  return (await station.call('library.query', query as never)).total;
}

describe('batch.addToCase', () => {
  it('adds each item once, with one custody entry per item added, and reports the rest', async () => {
    const target = await station.call('cases.create', { title: 'Night market' });
    const before = (await entries((e) => e.action === 'case.addItem')).length;
    const out = await station.call('batch.addToCase', {
      caseId: target.id,
      itemIds: [video.id, photo.id, 'no-such-item', video.id],
    });
    expect(out.results.map((r) => [r.itemId, r.outcome])).toEqual([
      [video.id, 'done'],
      [photo.id, 'done'],
      ['no-such-item', 'notFound'],
    ]);
    expect(out).toMatchObject({ done: 2, caseId: target.id, number: target.number, tagged: [] });
    const added = (await entries((e) => e.action === 'case.addItem')).slice(before);
    expect(added.map((e) => [e.subject, e.sha256, e.details.itemId])).toEqual([
      [target.id, video.sha256, video.id],
      [target.id, photo.sha256, photo.id],
    ]);

    const again = await station.call('batch.addToCase', { caseId: target.id, itemIds: [photo.id, bodycam.id] });
    expect(again.results.map((r) => r.outcome)).toEqual(['alreadyInCase', 'done']);
    const detail = await station.call('cases.get', { ref: target.id });
    expect(detail.items.map((i) => i.item.id).sort()).toEqual([video.id, photo.id, bodycam.id].sort());
  });

  it('refuses more ids than the contract allows, before anything is read', async () => {
    const target = await station.call('cases.create', { title: 'Too many' });
    const ids = Array.from({ length: BATCH_MAX_ITEMS + 1 }, (_, i) => `item-${i}`);
    expect(await codeOf(station.call('batch.addToCase', { caseId: target.id, itemIds: ids }))).toBe('input.invalid');
    expect(await codeOf(station.call('batch.addToCase', { caseId: target.id, itemIds: [] }))).toBe('input.invalid');
  });
});

describe('batch.tag', () => {
  it('tags every item with one entry each, reports items already tagged, and refuses an unknown type whole', async () => {
    const out = await station.call('batch.tag', {
      itemIds: [video.id, photo.id],
      code: 'street-vending',
      note: 'stall',
    });
    expect(out.results.map((r) => r.outcome)).toEqual(['done', 'done']);
    for (const item of [video, photo]) {
      const tags = await station.call('tags.list', { itemId: item.id });
      expect(tags).toEqual([expect.objectContaining({ code: 'street-vending', fromSec: null, note: 'stall' })]);
      const log = await entries((e) => e.subject === item.id && e.action === 'tag.add');
      expect(log).toHaveLength(1);
      expect(log[0]!.details).toMatchObject({ code: 'street-vending', batchId: expect.any(String) });
    }
    const again = await station.call('batch.tag', { itemIds: [photo.id, bodycam.id], code: 'street-vending' });
    expect(again.results.map((r) => r.outcome)).toEqual(['alreadyTagged', 'done']);

    const seqBefore = (await station.call('custody.list', { limit: 1 })).total;
    expect(await codeOf(station.call('batch.tag', { itemIds: [review.id], code: 'no-such-type' }))).toBe(
      'taxonomy.unknownCode',
    );
    expect((await station.call('custody.list', { limit: 1 })).total).toBe(seqBefore);
    expect(await station.call('tags.list', { itemId: review.id })).toEqual([]);
  });
});

describe('batch.correctTime', () => {
  it('corrects a camera clock on the items named, from the file’s reading, logging old and new time', async () => {
    // photo_gps.jpg carries 2026-03-01 09:30:00 +08:00 in its EXIF.
    const input = {
      scope: { by: 'items' as const, itemIds: [photo.id, clipId] },
      shiftSec: -192,
      zone: '+08:00',
      reason: 'camera clock 3 min 12 s fast',
    };
    const out = await station.call('batch.correctTime', input);
    expect(out.results).toEqual([
      expect.objectContaining({
        itemId: photo.id,
        outcome: 'done',
        previous: '2026-03-01T09:30:00+08:00',
        recordedAt: '2026-03-01T09:26:48+08:00',
      }),
      expect.objectContaining({ itemId: clipId, outcome: 'derivedTime' }),
    ]);
    const detail = await station.call('items.get', { id: photo.id });
    expect(detail).toMatchObject({
      recordedAt: '2026-03-01T09:26:48+08:00',
      recordedAtSource: 'correction',
      originalRecordedAt: '2026-03-01T09:30:00+08:00',
    });
    const log = await entries((e) => e.subject === photo.id && e.action === 'item.correctTime');
    expect(log.map((e) => e.details)).toEqual([
      {
        recordedAt: '2026-03-01T09:26:48+08:00',
        previous: '2026-03-01T09:30:00+08:00',
        reading: '2026-03-01T09:30:00+08:00',
        shiftSec: -192,
        zone: '+08:00',
        reason: 'camera clock 3 min 12 s fast',
        batchId: out.batchId,
        scope: 'items',
      },
    ]);

    // From the reading, not from the corrected time: applying it again changes nothing and logs nothing.
    const again = await station.call('batch.correctTime', input);
    expect(again.results[0]).toMatchObject({ outcome: 'unchanged', recordedAt: '2026-03-01T09:26:48+08:00' });
    expect(await entries((e) => e.subject === photo.id && e.action === 'item.correctTime')).toHaveLength(1);
  });

  it('covers a whole import, one correction row per item in one batch, and a whole device', async () => {
    const out = await station.call('batch.correctTime', {
      scope: { by: 'import', importId },
      shiftSec: 60,
      zone: '+09:00',
      reason: 'station clock check',
    });
    expect(out.results.map((r) => r.itemId).sort()).toEqual([video.id, photo.id, bodycam.id, review.id].sort());
    expect(out.results.every((r) => r.outcome === 'done')).toBe(true);
    // The clip cut from review.mp4 is not in the import: it moves with its recording, in the same batch.
    const rows = readDb(
      (db) =>
        db
          .prepare(
            'SELECT item_id, shift_sec, zone, scope, scope_ref, previous, recorded_at FROM time_corrections WHERE batch_id = ?',
          )
          .all(out.batchId) as {
          item_id: string;
          shift_sec: number;
          zone: string;
          scope: string;
          scope_ref: string;
          previous: string;
        }[],
    );
    expect(rows.map((r) => r.item_id).sort()).toEqual([video.id, photo.id, bodycam.id, review.id, clipId].sort());
    expect(
      rows.every((r) => r.shift_sec === 60 && r.zone === '+09:00' && r.scope === 'import' && r.scope_ref === importId),
    ).toBe(true);
    expect(rows.find((r) => r.item_id === photo.id)).toMatchObject({
      previous: '2026-03-01T09:26:48+08:00',
      recorded_at: '2026-03-01T09:31:00+09:00',
    });
    for (const id of [...out.results.map((r) => r.itemId), clipId]) {
      expect(await entries((e) => e.subject === id && e.details.batchId === out.batchId)).toHaveLength(1);
    }

    const device = await station.call('batch.correctTime', {
      scope: { by: 'device', deviceId: 'DSJ-A8' },
      shiftSec: 0,
      zone: '+08:00',
      reason: 'body-cam set to Beijing time',
    });
    expect(device.results).toEqual([expect.objectContaining({ itemId: bodycam.id, outcome: 'done' })]);
    expect(
      await codeOf(
        station.call('batch.correctTime', { scope: { by: 'device', deviceId: 'NOPE' }, shiftSec: 0, reason: 'x' }),
      ),
    ).toBe('batch.emptyDevice');
    expect(
      await codeOf(
        station.call('batch.correctTime', {
          scope: { by: 'items', itemIds: [photo.id] },
          shiftSec: 0,
          zone: '+8',
          reason: 'x',
        }),
      ),
    ).toBe('input.invalid');
  });

  it('never lets a correction on the record be changed', () => {
    const db = new Database(join(station.dataDir, 'station.db'));
    try {
      expect(() => db.prepare(`UPDATE time_corrections SET reason = 'edited'`).run()).toThrow(/never changed/);
    } finally {
      db.close();
    }
  });
});

describe('library filters and selection', () => {
  it('filters by violation type, tagged or not, case and origin, and says which selected ids still match', async () => {
    const target = await station.call('cases.create', { title: 'Filter case' });
    await station.call('batch.addToCase', { caseId: target.id, itemIds: [review.id, clipId] });
    await station.call('batch.tag', { itemIds: [review.id], code: 'illegal-stacking' });

    expect(await total({ violationCode: 'street-vending' })).toBe(3);
    expect(await total({ violationCode: 'illegal-stacking' })).toBe(1);
    expect(await total({ tagged: 'any' })).toBe(4);
    expect(await total({ tagged: 'none' })).toBe(1);
    expect(await total({ tagged: 'none', origin: 'clip' })).toBe(1);
    expect(await total({ tagged: 'none', origin: 'import' })).toBe(0);
    expect((await station.call('library.query', { tagged: 'none' })).items.map((i) => i.id)).toEqual([clipId]);
    expect(await total({ caseId: target.id })).toBe(2);
    expect(await total({ caseId: target.id, origin: 'clip' })).toBe(1);
    expect(await total({ origin: 'import' })).toBe(4);
    const clips = await station.call('library.query', { origin: 'clip' });
    expect(clips.items.map((i) => [i.id, i.origin])).toEqual([[clipId, 'clip']]);

    const { ids } = await station.call('library.matching', {
      query: { violationCode: 'street-vending' },
      ids: [clipId, photo.id, 'gone', video.id],
    });
    expect(ids).toEqual([photo.id, video.id]);
  });
});

describe('cases.addOffers', () => {
  it('offers a recording’s clips with the tag of the range they were cut from, and carries it over on request', async () => {
    const ranged = await station.call('tags.add', {
      itemId: review.id,
      code: 'sidewalk-parking',
      fromSec: 2,
      toSec: 4,
      note: 'cart on the road',
    });
    await station.call('tags.add', { itemId: review.id, code: 'street-vending', fromSec: 4, toSec: 5 });
    const target = await station.call('cases.create', { title: 'Offers' });
    const offers = await station.call('cases.addOffers', { itemIds: [review.id, photo.id], caseId: target.id });
    expect(offers.offers).toEqual([
      {
        sourceItemId: review.id,
        derived: [
          expect.objectContaining({
            item: expect.objectContaining({ id: clipId, origin: 'clip' }),
            inCase: false,
            sourceTags: [expect.objectContaining({ id: ranged.id, code: 'sidewalk-parking' })],
          }),
        ],
      },
    ]);

    const out = await station.call('batch.addToCase', {
      caseId: target.id,
      itemIds: [review.id, clipId],
      tagFromSource: [{ itemId: clipId, tagId: ranged.id }],
    });
    expect(out).toMatchObject({ done: 2, tagged: [clipId] });
    const clipTags = await station.call('tags.list', { itemId: clipId });
    expect(clipTags).toEqual([
      expect.objectContaining({ code: 'sidewalk-parking', fromSec: null, note: 'cart on the road' }),
    ]);
    const tagEntry = await entries((e) => e.subject === clipId && e.action === 'tag.add');
    expect(tagEntry[0]!.details.fromTag).toMatchObject({ itemId: review.id, tagId: ranged.id });

    // A tag the clip was not cut from refuses the whole call: nothing is added.
    const other = await station.call('cases.create', { title: 'Refused' });
    const wrong = (await station.call('tags.list', { itemId: review.id })).find((t) => t.fromSec === 4)!;
    expect(
      await codeOf(
        station.call('batch.addToCase', {
          caseId: other.id,
          itemIds: [review.id],
          tagFromSource: [{ itemId: clipId, tagId: wrong.id }],
        }),
      ),
    ).toBe('tag.notFromSource');
    expect((await station.call('cases.get', { ref: other.id })).items).toEqual([]);
  });

  it('names the only draft case, and none when there are several', async () => {
    const fresh = await openStation();
    try {
      expect((await fresh.call('cases.addOffers', { itemIds: ['x'] })).onlyDraftId).toBeNull();
      const only = await fresh.call('cases.create', { title: 'Only' });
      expect((await fresh.call('cases.addOffers', { itemIds: ['x'] })).onlyDraftId).toBe(only.id);
      await fresh.call('cases.create', { title: 'Second' });
      expect((await fresh.call('cases.addOffers', { itemIds: ['x'] })).onlyDraftId).toBeNull();
    } finally {
      await fresh.cleanup();
    }
  });
});

// Last: the still it makes would change what the filters and offers above count.
describe('batch.correctTime, what was cut from a recording', () => {
  it('moves the clips and stills cut from a corrected recording with it, each logged against its source', async () => {
    const still = await station.call('stills.create', { itemId: review.id, atSec: 1 });
    const fromOf = (id: string): number =>
      readDb(
        (db) =>
          (db.prepare('SELECT from_sec FROM derivations WHERE item_id = ?').get(id) as { from_sec: number }).from_sec,
      );
    const timeOf = async (id: string): Promise<number> =>
      Date.parse((await station.call('items.get', { id })).recordedAt!);
    const check = async (): Promise<void> => {
      const source = await timeOf(review.id);
      expect(await timeOf(clipId)).toBe(source + Math.round(fromOf(clipId) * 1000));
      expect(await timeOf(still.item.id)).toBe(source + Math.round(fromOf(still.item.id) * 1000));
    };
    await check();

    const out = await station.call('batch.correctTime', {
      scope: { by: 'items', itemIds: [review.id] },
      shiftSec: -192,
      reason: 'camera clock ran 3 min 12 s fast',
    });
    expect(out.results).toEqual([expect.objectContaining({ itemId: review.id, outcome: 'done' })]);
    await check();
    for (const id of [clipId, still.item.id]) {
      const [entry] = await entries((e) => e.subject === id && e.details.batchId === out.batchId);
      expect(entry).toMatchObject({
        action: 'item.correctTime',
        details: { derivedFrom: review.id, reason: 'camera clock ran 3 min 12 s fast' },
      });
      expect((await station.call('items.get', { id })).recordedAtSource).toBe('derived');
    }

    // A typed time on the recording moves them too.
    await station.call('items.correctTime', {
      id: review.id,
      recordedAt: '2026-03-01T20:00:00+08:00',
      reason: 'read off the burnt-in clock',
    });
    await check();
    expect(await timeOf(clipId)).toBe(Date.parse('2026-03-01T20:00:00+08:00') + Math.round(fromOf(clipId) * 1000));
  });
});
