import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools, type MediaTools } from '../../src/core/media/tools/binaries';
import type { DerivedEvidence } from '../../src/shared/reviewSchemas';
import type { ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { decodeRgbFrameAt, decodeRgbImage, meanAbsDiff } from '../support/mediaFrames';
import { codeOf, openStation, sha256File, type TestStation } from './harness';

/**
 * Stills through the engine: the frame on screen at a media time, as a lossless full-resolution
 * PNG evidence item with provenance and a custody entry, on the generated `review` recording
 * (25 fps, every frame different).
 */

let tools: MediaTools;
let station: TestStation;
let review: ItemDetail;
let photo: ItemDetail;
let still: DerivedEvidence;

beforeAll(async () => {
  const fx = getMediaFixtures();
  tools = await resolveMediaTools();
  station = await openStation();
  const record = await station.importAndWait([fx.review, fx.photoGps]);
  const idOf = (name: string) => record.files.find((f) => f.originalName === name)!.itemId!;
  review = await station.call('items.get', { id: idOf('review.mp4') });
  photo = await station.call('items.get', { id: idOf('photo_gps.jpg') });
  // 1.53 s is inside frame 38 (shown from 1.52 s to 1.56 s).
  still = await station.call('stills.create', { itemId: review.id, atSec: 1.53 });
});

afterAll(async () => {
  await station?.cleanup();
});

describe('stills.create', () => {
  it('makes a PNG evidence item, stored read-only under its own SHA-256', async () => {
    const path = station.engine.storedPathOf(still.item.sha256);
    expect(await sha256File(path)).toBe(still.item.sha256);
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(still.item).toMatchObject({ kind: 'photo', status: 'ok', importId: null });
    expect(still.item.media).toMatchObject({ width: 320, height: 240 });
    expect(still.item.originalName).toBe('review_still_1.520.png');
    expect(await readdir(join(station.dataDir, 'tmp'))).toEqual([]);
  });

  it('holds the frame shown at that time, losslessly', async () => {
    const png = await decodeRgbImage(tools, station.engine.storedPathOf(still.item.sha256));
    const frame = await decodeRgbFrameAt(tools, station.engine.storedPathOf(review.sha256), 38);
    const next = await decodeRgbFrameAt(tools, station.engine.storedPathOf(review.sha256), 39);
    expect(png.length).toBe(320 * 240 * 3);
    expect(meanAbsDiff(png, frame)).toBeLessThan(1);
    expect(meanAbsDiff(png, next)).toBeGreaterThan(5);
  });

  it('records the frame time, source hash and tool', () => {
    expect(still.derivation).toMatchObject({
      kind: 'still',
      mode: null,
      sourceItemId: review.id,
      sourceSha256: review.sha256,
      requestedFromSec: 1.53,
      requestedToSec: null,
      frameCount: 1,
    });
    expect(still.derivation.fromSec).toBeCloseTo(1.52, 6);
    expect(still.derivation.toSec).toBe(still.derivation.fromSec);
    expect(still.derivation.provenance).toMatchObject({
      source: { sha256: review.sha256 },
      requested: { atSec: 1.53 },
      tool: 'ffmpeg',
      toolVersion: tools.ffmpeg.version,
      mediaTools: { ffmpeg: { version: tools.ffmpeg.version }, ffprobe: { version: tools.ffprobe.version } },
    });
    expect(JSON.stringify(still.derivation.provenance)).not.toContain(station.dataDir);
  });

  it('puts the still on the custody record, and the chain verifies', async () => {
    const { entries } = await station.call('custody.list', { subject: still.item.id });
    expect(entries.map((e) => e.action)).toEqual(['still.create']);
    expect(entries[0]).toMatchObject({ sha256: still.item.sha256, details: { sourceSha256: review.sha256 } });
    expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
  });

  it('gives the same item for the same frame again, with the repeat on the record', async () => {
    const again = await station.call('stills.create', { itemId: review.id, atSec: 1.55 });
    expect(again.item.id).toBe(still.item.id);
    const { entries } = await station.call('custody.list', { subject: still.item.id });
    expect(entries.map((e) => e.action)).toEqual(['still.create', 'still.duplicate']);
  });

  it('refuses a photo, and a time past the end', async () => {
    expect(await codeOf(station.call('stills.create', { itemId: photo.id, atSec: 0 }))).toBe('item.notRecording');
    expect(await codeOf(station.call('stills.create', { itemId: review.id, atSec: 60 }))).toBe('clip.range');
    expect(await readdir(join(station.dataDir, 'tmp'))).toEqual([]);
  });
});
