import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/database';
import { stationLayout } from '../../src/core/store/layout';
import { writeHeic } from '../fixtures/heif';
import { importedItem, openStation, sha256File, type TestStation } from './harness';

/**
 * HEIC photos through the whole station: imported with their real size, given a thumbnail and a
 * full-size JPEG preview in the background (served as the photo's `play`), the original kept as
 * the HEIC; and a photo above the decoder's pixel limit failing visibly, with its reason in
 * `jobs.failures`, and retried on request.
 */

let station: TestStation;
let photo: string;
let huge: string;

beforeAll(async () => {
  station = await openStation({ runJobs: true });
  photo = join(station.root, 'IMG_0002.HEIC');
  huge = join(station.root, 'IMG_0003.HEIC');
  // Six 512×512 tiles in a 3×2 grid, cropped to 1280×720 by the grid: the same structure as an
  // iPhone's 4032×3024 (48 tiles), smaller so the station test stays quick.
  await writeHeic(photo, {
    width: 1280,
    height: 720,
    exif: { '0th': { 271: 'Apple', 272: 'iPhone 15 Pro' }, Exif: { 36867: '2026:03:01 09:30:00', 36881: '+08:00' } },
  });
  await writeHeic(huge, { width: 10240, height: 6144, reuseTileFor: true });
}, 300_000);
afterAll(async () => {
  await station.cleanup();
});

describe('HEIC photos in the station', () => {
  it('imports with the full size, a thumbnail and a preview; the stored original stays the HEIC', async () => {
    const record = await station.importAndWait([photo, huge]);
    await station.engine.whenJobsIdle();
    const { id } = importedItem(record, 'IMG_0002.HEIC');
    const item = await station.call('items.get', { id });
    expect(item.media).toMatchObject({ kind: 'photo', container: 'heif', width: 1280, height: 720, make: 'Apple' });
    expect(item).toMatchObject({ thumbnail: 'ready', proxy: 'ready', recordedAt: '2026-03-01T09:30:00+08:00' });

    await station.call('review.open', { itemId: id });
    const original = await station.engine.openMedia(id, 'original', station.ctx);
    expect(await sha256File(original.path)).toBe(await sha256File(photo));
    const preview = await station.engine.openMedia(id, 'play', station.ctx);
    expect(preview.mimeType).toBe('image/jpeg');
    expect((await readFile(preview.path)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const thumbnail = await station.engine.openMedia(id, 'thumbnail', station.ctx);
    expect(thumbnail.mimeType).toBe('image/jpeg');

    const db = openDatabase(stationLayout(station.dataDir).database);
    try {
      const row = db.prepare(`SELECT provenance FROM derived WHERE item_id = ? AND variant = 'proxy'`).get(id) as {
        provenance: string;
      };
      expect(JSON.parse(row.provenance)).toMatchObject({
        sourceSha256: item.sha256,
        variant: 'proxy',
        tool: 'ffmpeg',
        decoder: { name: 'libheif-js', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
        decodedWidth: 1280,
        decodedHeight: 720,
      });
    } finally {
      db.close();
    }
  }, 300_000);

  it('lists a photo above the pixel limit as failed with its reason, and queues it again on retry', async () => {
    const id = (await station.call('library.query', { text: 'IMG_0003' })).items[0]?.id;
    if (!id) throw new Error('IMG_0003 not in the library');
    expect((await station.call('items.get', { id })).media).toMatchObject({ width: 10240, height: 6144 });
    expect(await station.call('jobs.summary', {})).toEqual({ pending: 0, running: 0, failed: 2 });

    const { failures } = await station.call('jobs.failures', {});
    expect(failures.map((f) => [f.originalName, f.variant, f.problem, f.attempts]).sort()).toEqual([
      ['IMG_0003.HEIC', 'proxy', 'heifTooLarge', 1],
      ['IMG_0003.HEIC', 'thumbnail', 'heifTooLarge', 1],
    ]);
    expect(failures[0]).toMatchObject({
      itemId: id,
      kind: 'photo',
      params: { width: 10240, height: 6144, megapixels: 62.9, limit: 50 },
    });

    expect(await station.call('jobs.retry', { itemId: id, variant: 'thumbnail' })).toEqual({ requeued: 1 });
    await station.engine.whenJobsIdle();
    // The same photo fails the same way: once more, not three times.
    const again = (await station.call('jobs.failures', {})).failures.find((f) => f.variant === 'thumbnail');
    expect(again).toMatchObject({ problem: 'heifTooLarge', attempts: 1 });
    expect(await station.call('jobs.retry', {})).toEqual({ requeued: 2 });
    await station.engine.whenJobsIdle();
    expect(await station.call('jobs.retry', { itemId: 'no-such-item' })).toEqual({ requeued: 0 });
  }, 300_000);
});
