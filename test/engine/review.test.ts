import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { findItemIdsByShaPrefix } from '../../src/core/library/itemsRepo';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';
import { runProcess } from '../../src/core/media/tools/runProcess';
import type { CustodyEntry, ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, codeOf, openStation, type TestStation } from './harness';

/**
 * Opening evidence for review: what `review.open` returns, resolving an item by id or hash, and
 * that every view is on the custody record, debounced per account and item (10 minutes) so that
 * scrubbing does not flood it. The engine's clock is injected, so no test waits.
 */

const MINUTE = 60_000;

let clock = Date.parse('2026-03-02T08:00:00Z');
let station: TestStation;
const items: Record<string, ItemDetail> = {};

async function viewsOf(itemId: string): Promise<CustodyEntry[]> {
  const { entries } = await station.call('custody.list', { subject: itemId, limit: 500 });
  return entries.filter((e) => e.action === 'item.view');
}

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation({ now: () => new Date(clock) });
  const record = await station.importAndWait([fx.review, fx.hevc, fx.audio, fx.photoGps, fx.h264, fx.vp8]);
  for (const f of record.files) items[f.originalName] = await station.call('items.get', { id: f.itemId! });
});

afterAll(async () => {
  await station?.cleanup();
});

describe('items.resolve', () => {
  it('finds an item by id or by SHA-256, in either case', async () => {
    const item = items['review.mp4']!;
    expect(await station.call('items.resolve', { ref: item.id })).toEqual({ id: item.id });
    expect(await station.call('items.resolve', { ref: item.sha256 })).toEqual({ id: item.id });
    expect(await station.call('items.resolve', { ref: item.sha256.toUpperCase() })).toEqual({ id: item.id });
    expect(await codeOf(station.call('items.resolve', { ref: 'f'.repeat(64) }))).toBe('item.notFound');
    expect(await codeOf(station.call('items.resolve', { ref: 'no-such-item' }))).toBe('item.notFound');
  });

  it('finds an item by the 12 hex digits the CLI prints, and no fewer', async () => {
    const item = items['review.mp4']!;
    const short = item.sha256.slice(0, 12);
    expect(await station.call('items.resolve', { ref: short })).toEqual({ id: item.id });
    expect(await station.call('items.resolve', { ref: short.toUpperCase() })).toEqual({ id: item.id });
    expect(await codeOf(station.call('items.resolve', { ref: item.sha256.slice(0, 11) }))).toBe('item.notFound');
    const other = item.sha256.startsWith('0') ? 'f' : '0';
    expect(await codeOf(station.call('items.resolve', { ref: other.repeat(12) }))).toBe('item.notFound');
  });

  it('tells a prefix two items share from one nobody has', () => {
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      // Six items are stored: the empty prefix matches them all, and the search stops at two.
      expect(findItemIdsByShaPrefix(db, '')).toHaveLength(2);
      const item = items['review.mp4']!;
      expect(findItemIdsByShaPrefix(db, item.sha256)).toEqual([item.id]);
    } finally {
      db.close();
    }
  });
});

describe('review.open', () => {
  it('returns the item, how it plays, its frame rate, tags and markers', async () => {
    const item = items['review.mp4']!;
    await station.call('markers.add', { itemId: item.id, atSec: 1.2, label: 'plate visible' });
    await station.call('tags.add', { itemId: item.id, code: 'street-vending', fromSec: 1, toSec: 3, note: 'cart' });
    const info = await station.call('review.open', { itemId: item.id });
    expect(info.item.id).toBe(item.id);
    expect(info).toMatchObject({ playback: 'original', frameRate: 25, derivation: null, derivatives: [] });
    expect(info.markers).toEqual([expect.objectContaining({ atSec: 1.2, label: 'plate visible' })]);
    expect(info.tags).toEqual([expect.objectContaining({ code: 'street-vending', fromSec: 1, toSec: 3 })]);
    // Derived jobs are off in these tests: the filmstrip is not made yet.
    expect(info.filmstrip).toBeNull();
  });

  it('tells where the first frame is: 0 for most recordings, later when the audio starts first', async () => {
    expect((await station.call('review.open', { itemId: items['review.mp4']!.id })).videoStartSec).toBe(0);
    const ts = join(dirname(station.dataDir), 'camera.ts');
    const remux = ['-nostdin', '-v', 'error', '-i', getMediaFixtures().review, '-c', 'copy', '-f', 'mpegts', ts];
    await runProcess((await resolveMediaTools()).ffmpeg.path, remux);
    const record = await station.importAndWait([ts]);
    const info = await station.call('review.open', { itemId: record.files[0]!.itemId! });
    // The muxer starts the audio at 1.4 s and the video 21.3 ms later (the AAC priming).
    expect(info).toMatchObject({ frameRate: 25, playback: 'pending' });
    expect(info.videoStartSec).toBeCloseTo(0.021333, 6);
  });

  it('says what the player can stream: original, proxy being made, or nothing', async () => {
    const playback = async (name: string) => (await station.call('review.open', { itemId: items[name]!.id })).playback;
    expect(await playback('vp8.webm')).toBe('original');
    expect(await playback('hevc.mp4')).toBe('pending');
    expect(await playback('audio.m4a')).toBe('none');
    expect(await playback('photo_gps.jpg')).toBe('none');
  });

  it('carries the filmstrip index once it is made: one tile per keyframe', async () => {
    const own = await openStation({ runJobs: true });
    try {
      const record = await own.importAndWait([getMediaFixtures().review]);
      await own.engine.whenJobsIdle();
      const info = await own.call('review.open', { itemId: record.files[0]!.itemId! });
      expect(info.filmstrip?.timesSec).toEqual([0, 1, 2, 3, 4, 5]);
      expect(info.filmstrip?.sheets).toBe(1);
    } finally {
      await own.cleanup();
    }
  });

  it('refuses an unknown item', async () => {
    expect(await codeOf(station.call('review.open', { itemId: 'nope' }))).toBe('item.notFound');
  });
});

describe('views on the custody record', () => {
  it('logs one view per account and item within ten minutes, and another after', async () => {
    const item = items['h264.mp4']!;
    await station.call('review.open', { itemId: item.id });
    clock += 4 * MINUTE;
    await station.call('review.open', { itemId: item.id });
    clock += 5 * MINUTE;
    await station.call('review.open', { itemId: item.id });
    expect(await viewsOf(item.id)).toHaveLength(1);

    clock += MINUTE;
    const info = await station.call('review.open', { itemId: item.id });
    const views = await viewsOf(item.id);
    expect(views).toHaveLength(2);
    expect(views[1]).toMatchObject({
      actor: ADMIN.name,
      subject: item.id,
      sha256: item.sha256,
      details: { via: 'review' },
    });
    // The view just logged is part of what the workspace shows.
    expect(info.item.custodySeqs).toContain(views[1]!.seq);
    expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
  });

  it('counts each account on its own', async () => {
    const item = items['vp8.webm']!;
    const before = (await viewsOf(item.id)).length;
    await station.call('accounts.create', { name: 'rev1', password: 'reviewer password', role: 'reviewer' });
    const other = await station.call('auth.signIn', { name: 'rev1', password: 'reviewer password' });
    await station.call('review.open', { itemId: item.id }, other.sessionId);
    await station.call('review.open', { itemId: item.id }, other.sessionId);
    await station.call('review.open', { itemId: item.id });
    const views = (await viewsOf(item.id)).slice(before);
    expect(views.map((v) => v.actor).sort()).toEqual(['admin', 'rev1']);
  });

  it('logs watching outside the workspace too (the original or its proxy), but not posters', async () => {
    clock += 11 * MINUTE;
    const item = items['review.mp4']!;
    const before = (await viewsOf(item.id)).length;
    await expect(station.engine.openMedia(item.id, 'thumbnail', station.ctx)).rejects.toMatchObject({
      code: 'media.notFound',
    });
    expect(await viewsOf(item.id)).toHaveLength(before);

    // Streaming counts as a view only once this session opened the item (here, its detail).
    await station.call('items.get', { id: item.id });
    await station.engine.openMedia(item.id, 'play', station.ctx);
    await station.engine.openMedia(item.id, 'original', station.ctx);
    const views = (await viewsOf(item.id)).slice(before);
    expect(views).toHaveLength(1);
    expect(views[0]!.details).toMatchObject({ via: 'media:test', variant: 'play' });

    // The workspace opened within the window adds nothing: it is the same viewing.
    await station.call('review.open', { itemId: item.id });
    expect(await viewsOf(item.id)).toHaveLength(before + 1);
  });
});
