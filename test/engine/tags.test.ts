import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadableDB } from '../../src/core/db/database';
import { listMarkers } from '../../src/core/markers/markersRepo';
import type { CustodyEntry } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { codeOf, importedItem, openStation, type TestStation } from './harness';

/**
 * Tags and markers on imported items: ranges checked against the recording, every change kept as
 * a revision with a custody entry, and undo walking back through the changes.
 */

const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;

let station: TestStation;
let video: { id: string; sha256: string };
let photo: { id: string; sha256: string };
let reviewerSession: string;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait([fx.h264, fx.photoGps]);
  video = importedItem(record, 'h264.mp4');
  photo = importedItem(record, 'photo_gps.jpg');
  await station.call('accounts.create', REVIEWER);
  reviewerSession = (await station.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null))
    .sessionId;
});

afterAll(async () => {
  await station?.cleanup();
});

/** The item's custody entries about tags or markers, oldest first. */
async function reviewEntries(itemId: string, prefix: 'tag.' | 'marker.'): Promise<CustodyEntry[]> {
  const { entries } = await station.call('custody.list', { subject: itemId, limit: 500 });
  return entries.filter((e) => e.action.startsWith(prefix));
}

/** Reads the tag's stored history straight from the database, as an auditor would. */
function revisionsOf(tagId: string): {
  revision: number;
  action: string;
  undoes: number | null;
  note: string;
  from_sec: number | null;
  removed: number;
  custody_seq: number;
}[] {
  const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT revision, action, undoes, note, from_sec, removed, custody_seq FROM tag_revisions WHERE tag_id = ? ORDER BY revision',
      )
      .all(tagId) as ReturnType<typeof revisionsOf>;
  } finally {
    db.close();
  }
}

describe('tags.add', () => {
  it('tags a range of a recording and a whole item, each on the record', async () => {
    const changed: string[] = [];
    const off = station.engine.on('review.changed', (p) => changed.push(p.itemId));
    const ranged = await station.call('tags.add', {
      itemId: video.id,
      code: 'street-vending',
      fromSec: 0.5,
      toSec: 2.5,
      note: 'stall on the pavement',
    });
    const whole = await station.call('tags.add', { itemId: photo.id, code: 'illegal-stacking' }, reviewerSession);
    off();
    expect(ranged).toMatchObject({
      itemId: video.id,
      code: 'street-vending',
      taxonomyVersion: 1,
      nameZh: '占道经营',
      fromSec: 0.5,
      toSec: 2.5,
      note: 'stall on the pavement',
      createdBy: 'admin',
      updatedBy: 'admin',
      removed: false,
      revision: 1,
    });
    expect(whole).toMatchObject({ fromSec: null, toSec: null, note: '', createdBy: REVIEWER.name });
    expect(changed).toEqual([video.id, photo.id]);

    const [entry] = (await reviewEntries(video.id, 'tag.')).filter((e) => e.details.tagId === ranged.id);
    expect(entry).toMatchObject({ action: 'tag.add', actor: 'admin', subject: video.id, sha256: video.sha256 });
    expect(entry!.details).toEqual({
      tagId: ranged.id,
      revision: 1,
      taxonomyVersion: 1,
      code: 'street-vending',
      fromSec: 0.5,
      toSec: 2.5,
      note: 'stall on the pavement',
    });
    expect(revisionsOf(ranged.id)).toEqual([
      expect.objectContaining({ revision: 1, action: 'add', undoes: null, custody_seq: entry!.seq }),
    ]);
    expect((await station.call('tags.list', { itemId: video.id })).map((t) => t.id)).toContain(ranged.id);
  });

  it('keeps ranges within the recording; photos take whole-item tags only', async () => {
    const add = (itemId: string, fromSec: number, toSec: number) =>
      codeOf(station.call('tags.add', { itemId, code: 'street-vending', fromSec, toSec }));
    expect(await add(video.id, 2, 3.5)).toBe('tag.rangeOutside');
    expect(await add(video.id, 0, 3)).toBe('resolved');
    expect(await add(photo.id, 0, 1)).toBe('tag.rangeOutside');
    // Both ends or neither, the out point after the in point: the contract refuses the rest.
    expect(await codeOf(station.call('tags.add', { itemId: video.id, code: 'graffiti', fromSec: 1 }))).toBe(
      'input.invalid',
    );
    expect(await add(video.id, 2, 1)).toBe('input.invalid');
    expect(await codeOf(station.call('tags.add', { itemId: 'no-such-item', code: 'graffiti' }))).toBe('item.notFound');
  });
});

describe('tag changes and undo', () => {
  it('records every change and undoes them one by one back to before the add', async () => {
    const tag = await station.call('tags.add', { itemId: video.id, code: 'graffiti', fromSec: 1, toSec: 2, note: 'a' });
    const r2 = await station.call('tags.update', { id: tag.id, note: 'b' });
    expect(r2).toMatchObject({ note: 'b', fromSec: 1, revision: 2 });
    const r3 = await station.call('tags.update', { id: tag.id, fromSec: null, toSec: null }, reviewerSession);
    expect(r3).toMatchObject({ fromSec: null, toSec: null, revision: 3, updatedBy: REVIEWER.name, createdBy: 'admin' });
    const r4 = await station.call('tags.remove', { id: tag.id });
    expect(r4).toMatchObject({ removed: true, revision: 4 });
    expect((await station.call('tags.list', { itemId: video.id })).map((t) => t.id)).not.toContain(tag.id);
    expect(
      (await station.call('tags.list', { itemId: video.id, includeRemoved: true })).find((t) => t.id === tag.id),
    ).toMatchObject({ removed: true });
    expect(await codeOf(station.call('tags.update', { id: tag.id, note: 'c' }))).toBe('tag.removed');
    expect(await codeOf(station.call('tags.remove', { id: tag.id }))).toBe('tag.removed');

    // Undo restores the removal, then walks back through the updates, then undoes the add.
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({
      removed: false,
      fromSec: null,
      note: 'b',
      revision: 5,
    });
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({
      removed: false,
      fromSec: 1,
      toSec: 2,
      note: 'b',
    });
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({ removed: false, fromSec: 1, note: 'a' });
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({
      removed: true,
      fromSec: 1,
      note: 'a',
      revision: 8,
    });
    expect(await codeOf(station.call('tags.undo', { id: tag.id }))).toBe('tag.nothingToUndo');

    expect(revisionsOf(tag.id).map((r) => [r.revision, r.action, r.undoes, r.note, r.from_sec, r.removed])).toEqual([
      [1, 'add', null, 'a', 1, 0],
      [2, 'update', null, 'b', 1, 0],
      [3, 'update', null, 'b', null, 0],
      [4, 'remove', null, 'b', null, 1],
      [5, 'undo', 4, 'b', null, 0],
      [6, 'undo', 3, 'b', 1, 0],
      [7, 'undo', 2, 'a', 1, 0],
      [8, 'undo', 1, 'a', 1, 1],
    ]);
    const entries = (await reviewEntries(video.id, 'tag.')).filter((e) => e.details.tagId === tag.id);
    expect(entries.map((e) => [e.action, e.actor, e.details.revision, e.details.undoes])).toEqual([
      ['tag.add', 'admin', 1, undefined],
      ['tag.update', 'admin', 2, undefined],
      ['tag.update', REVIEWER.name, 3, undefined],
      ['tag.remove', 'admin', 4, undefined],
      ['tag.undo', 'admin', 5, 4],
      ['tag.undo', 'admin', 6, 3],
      ['tag.undo', 'admin', 7, 2],
      ['tag.undo', 'admin', 8, 1],
    ]);
    expect(entries[1]!.details.changed).toEqual({ note: { from: 'a', to: 'b' } });
    expect(entries[5]!.details).toMatchObject({
      undoneAction: 'update',
      changed: { fromSec: { from: null, to: 1 }, toSec: { from: null, to: 2 } },
    });
    expect(revisionsOf(tag.id).map((r) => r.custody_seq)).toEqual(entries.map((e) => e.seq));
  });

  it('undoes a change made after an undo before going further back', async () => {
    const tag = await station.call('tags.add', { itemId: video.id, code: 'graffiti', note: 'a' });
    await station.call('tags.update', { id: tag.id, note: 'b' });
    await station.call('tags.undo', { id: tag.id });
    await station.call('tags.update', { id: tag.id, note: 'c' });
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({ note: 'a', removed: false });
    expect(await station.call('tags.undo', { id: tag.id })).toMatchObject({ note: 'a', removed: true });
    expect(await codeOf(station.call('tags.undo', { id: tag.id }))).toBe('tag.nothingToUndo');
  });

  it('writes nothing for an update that changes nothing, and refuses unknown tags', async () => {
    const tag = await station.call('tags.add', { itemId: video.id, code: 'graffiti', note: 'same' });
    const before = (await station.call('custody.list', {})).total;
    expect(await station.call('tags.update', { id: tag.id, note: 'same', code: 'graffiti' })).toMatchObject({
      revision: 1,
    });
    expect((await station.call('custody.list', {})).total).toBe(before);
    expect(await codeOf(station.call('tags.update', { id: tag.id, fromSec: 1, toSec: 9 }))).toBe('tag.rangeOutside');
    for (const method of ['tags.remove', 'tags.undo'] as const) {
      expect(await codeOf(station.call(method, { id: 'no-such-tag' }))).toBe('tag.notFound');
    }
    expect(await codeOf(station.call('tags.update', { id: 'no-such-tag', note: 'x' }))).toBe('tag.notFound');
  });
});

describe('markers', () => {
  it('adds and softly removes markers, each on the record', async () => {
    const changed: string[] = [];
    const off = station.engine.on('review.changed', (p) => changed.push(p.itemId));
    const late = await station.call('markers.add', { itemId: video.id, atSec: 2.2, label: 'plate visible' });
    const early = await station.call('markers.add', { itemId: video.id, atSec: 0.4 }, reviewerSession);
    expect(late).toMatchObject({ itemId: video.id, atSec: 2.2, label: 'plate visible', createdBy: 'admin' });
    expect(early).toMatchObject({ label: '', createdBy: REVIEWER.name });
    await station.call('markers.remove', { id: late.id });
    off();
    expect(changed).toEqual([video.id, video.id, video.id]);
    expect(await codeOf(station.call('markers.remove', { id: late.id }))).toBe('marker.notFound');
    expect(await codeOf(station.call('markers.add', { itemId: 'nope', atSec: 1 }))).toBe('item.notFound');
    expect(await codeOf(station.call('markers.add', { itemId: video.id, atSec: 3600 }))).toBe('marker.outside');

    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(listMarkers(db as ReadableDB, video.id).map((m) => m.id)).toEqual([early.id]);
      const row = db.prepare('SELECT removed_by, removed_seq FROM markers WHERE id = ?').get(late.id);
      const entries = await reviewEntries(video.id, 'marker.');
      expect(entries.map((e) => [e.action, e.actor, e.sha256, e.details.markerId])).toEqual([
        ['marker.add', 'admin', video.sha256, late.id],
        ['marker.add', REVIEWER.name, video.sha256, early.id],
        ['marker.remove', 'admin', video.sha256, late.id],
      ]);
      expect(row).toEqual({ removed_by: 'admin', removed_seq: entries[2]!.seq });
    } finally {
      db.close();
    }
  });
});
