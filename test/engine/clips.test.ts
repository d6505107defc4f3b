import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools, type MediaTools } from '../../src/core/media/tools/binaries';
import { runProcess } from '../../src/core/media/tools/runProcess';
import type { DerivedEvidence } from '../../src/shared/reviewSchemas';
import type { CustodyEntry, ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures, type MediaFixtures } from '../fixtures';
import { decodedFrameMd5s, decodeGrayFrames, meanAbsDiff } from '../support/mediaFrames';
import { codeOf, listStoredShas, nextEvent, openStation, sha256File, type TestStation } from './harness';

/**
 * Clips through the engine, on the generated `review` recording (6 s, 25 fps, B-frames, a
 * keyframe every second, every frame different): what the plan promises, what the new evidence
 * item holds, how it is stored and recorded, and that a cancelled or refused clip leaves nothing.
 */

const FRAME = 0.04;

let fx: MediaFixtures;
let tools: MediaTools;
let station: TestStation;
let review: ItemDetail;
let photo: ItemDetail;
let audio: ItemDetail;
let jobCounter = 0;

const jobId = () => `test-job-${String(++jobCounter).padStart(4, '0')}`;

async function custodyOf(subject: string): Promise<CustodyEntry[]> {
  return (await station.call('custody.list', { subject, limit: 500 })).entries;
}

async function allCustody(): Promise<CustodyEntry[]> {
  return (await station.call('custody.list', { limit: 500 })).entries;
}

async function tmpNames(): Promise<string[]> {
  return readdir(join(station.dataDir, 'tmp'));
}

beforeAll(async () => {
  fx = getMediaFixtures();
  tools = await resolveMediaTools();
  station = await openStation();
  const record = await station.importAndWait([fx.review, fx.photoGps, fx.audio]);
  expect(record.counts.imported).toBe(3);
  const byName = async (name: string) => {
    const file = record.files.find((f) => f.originalName === name);
    return station.call('items.get', { id: file!.itemId! });
  };
  review = await byName('review.mp4');
  photo = await byName('photo_gps.jpg');
  audio = await byName('audio.m4a');
});

afterAll(async () => {
  await station?.cleanup();
});

describe('clips.plan', () => {
  it('starts a lossless clip on the keyframe at or before the in point', async () => {
    const plan = await station.call('clips.plan', { itemId: review.id, fromSec: 2.5, toSec: 3.5, mode: 'lossless' });
    expect(plan).toMatchObject({ mode: 'lossless', requestedFromSec: 2.5, requestedToSec: 3.5, frameRate: 25 });
    expect(plan.fromSec).toBeCloseTo(2, 6);
    // The out point is exclusive: the last frame starts before it, and the clip ends when that frame does.
    expect(plan.toSec - FRAME).toBeLessThan(3.5);
    expect(plan.frameCount).toBe(Math.round((plan.toSec - plan.fromSec) / FRAME));
  });

  it('holds exactly the requested frames in exact mode', async () => {
    const plan = await station.call('clips.plan', { itemId: review.id, fromSec: 2.5, toSec: 3.5, mode: 'exact' });
    expect(plan.fromSec).toBeCloseTo(2.52, 6);
    expect(plan.toSec).toBeCloseTo(3.52, 6);
    expect(plan.frameCount).toBe(25);
    expect(plan.container).toBe('mp4');
  });

  it('changes nothing and tells what it refuses', async () => {
    const before = await allCustody();
    expect(await codeOf(station.call('clips.plan', { itemId: photo.id, fromSec: 0, toSec: 1, mode: 'exact' }))).toBe(
      'item.notRecording',
    );
    expect(await codeOf(station.call('clips.plan', { itemId: review.id, fromSec: 7, toSec: 8, mode: 'exact' }))).toBe(
      'clip.range',
    );
    expect(await codeOf(station.call('clips.plan', { itemId: 'nope', fromSec: 0, toSec: 1, mode: 'exact' }))).toBe(
      'item.notFound',
    );
    expect(await codeOf(station.call('clips.plan', { itemId: review.id, fromSec: 2, toSec: 1, mode: 'exact' }))).toBe(
      'input.invalid',
    );
    expect(await allCustody()).toHaveLength(before.length);
  });
});

describe('clips.create', () => {
  let lossless: DerivedEvidence;
  let exact: DerivedEvidence;

  beforeAll(async () => {
    const progress: number[] = [];
    const id = jobId();
    const off = station.engine.on('clips.progress', (p) => {
      if (p.jobId === id) progress.push(p.fraction);
    });
    lossless = await station.call('clips.create', {
      jobId: id,
      itemId: review.id,
      fromSec: 2.5,
      toSec: 3.5,
      mode: 'lossless',
    });
    off();
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    exact = await station.call('clips.create', {
      jobId: jobId(),
      itemId: review.id,
      fromSec: 2.5,
      toSec: 3.5,
      mode: 'exact',
    });
  });

  it('makes each clip a new evidence item, stored read-only under its own SHA-256', async () => {
    for (const made of [lossless, exact]) {
      const path = station.engine.storedPathOf(made.item.sha256);
      expect(await sha256File(path)).toBe(made.item.sha256);
      expect((await stat(path)).mode & 0o777).toBe(0o444);
      expect(made.item).toMatchObject({ kind: 'video', status: 'ok', importId: null, importedBy: 'admin' });
      expect(made.item.sha256).not.toBe(review.sha256);
      expect(made.item.media.width).toBe(320);
      expect(made.item.media.height).toBe(240);
    }
    expect(await listStoredShas(station.dataDir)).toEqual(
      [review.sha256, photo.sha256, audio.sha256, lossless.item.sha256, exact.item.sha256].sort(),
    );
    expect(await tmpNames()).toEqual([]);
  });

  it('records the measured range, and names the clip after its source and range', () => {
    expect(lossless.derivation).toMatchObject({
      kind: 'clip',
      mode: 'lossless',
      sourceItemId: review.id,
      sourceSha256: review.sha256,
      requestedFromSec: 2.5,
      requestedToSec: 3.5,
      createdBy: 'admin',
    });
    expect(lossless.derivation.fromSec).toBeCloseTo(2, 6);
    expect(lossless.item.originalName).toMatch(/^review_clip_2\.000-3\.\d{3}_lossless\.mp4$/);
    expect(exact.derivation).toMatchObject({ mode: 'exact', frameCount: 25 });
    expect(exact.derivation.fromSec).toBeCloseTo(2.52, 6);
    expect(exact.derivation.toSec).toBeCloseTo(3.52, 6);
    expect(exact.item.originalName).toBe('review_clip_2.520-3.520_exact.mp4');
    expect(exact.item.durationSec).toBeCloseTo(1, 1);
  });

  it('keeps provenance: source hash, ranges, tool and version, full arguments, streams, encoder', () => {
    for (const made of [lossless, exact]) {
      const p = made.derivation.provenance as Record<string, unknown> & {
        args: string[];
        streams: { kept: unknown[] };
      };
      expect(p).toMatchObject({
        source: { itemId: review.id, sha256: review.sha256 },
        mode: made.derivation.mode,
        requested: { fromSec: 2.5, toSec: 3.5 },
        tool: 'ffmpeg',
        toolVersion: tools.ffmpeg.version,
        // Both tools: ffprobe planned and measured the cut ffmpeg made.
        mediaTools: {
          ffmpeg: { version: tools.ffmpeg.version, source: tools.ffmpeg.source },
          ffprobe: { version: tools.ffprobe.version, source: tools.ffprobe.source },
          matched: tools.warning === null,
        },
      });
      expect(p.args).toContain('-i');
      expect(typeof p.commandLine).toBe('string');
      expect(p.streams.kept.length).toBeGreaterThanOrEqual(2);
      expect(p).toHaveProperty('measured');
      expect(p).toHaveProperty('streams.dropped');
      // Store paths stay in the engine: provenance names files relative to the data directory.
      expect(JSON.stringify(p)).not.toContain(station.dataDir);
      expect(JSON.stringify(p)).toContain(`evidence/sha256/${review.sha256.slice(0, 2)}`);
    }
    expect(exact.derivation.provenance.encoder).not.toBeNull();
    expect(lossless.derivation.provenance.encoder).toBeNull();
  });

  it('holds the source frames: bit for bit from the keyframe (lossless), the chosen frames (exact)', async () => {
    const source = await decodedFrameMd5s(tools, station.engine.storedPathOf(review.sha256));
    const clip = await decodedFrameMd5s(tools, station.engine.storedPathOf(lossless.item.sha256));
    expect(clip).toEqual(source.slice(50, 50 + clip.length));
    expect(clip.length).toBe(lossless.derivation.frameCount);

    const src = await decodeGrayFrames(tools, station.engine.storedPathOf(review.sha256), 320, 240);
    const cut = await decodeGrayFrames(tools, station.engine.storedPathOf(exact.item.sha256), 320, 240);
    expect(cut).toHaveLength(25);
    for (const [i, frame] of cut.entries()) {
      const same = meanAbsDiff(frame.pixels, src[63 + i]!.pixels);
      const neighbour = meanAbsDiff(frame.pixels, src[62 + i]!.pixels);
      expect(same).toBeLessThan(neighbour / 4);
    }
  });

  it('dates the clip from its source: recorded time plus the offset into it', async () => {
    const item = await station.call('items.get', { id: exact.item.id });
    expect(item.recordedAtSource).toBe('derived');
    expect(Date.parse(item.recordedAt!) - Date.parse(review.recordedAt!)).toBe(2520);
    expect(item.offsetKnown).toBe(review.offsetKnown);
  });

  it('puts each cut on the custody record, and the chain verifies', async () => {
    for (const made of [lossless, exact]) {
      const entries = await custodyOf(made.item.id);
      expect(entries.map((e) => e.action)).toEqual(['clip.create']);
      expect(entries[0]).toMatchObject({
        actor: 'admin',
        sha256: made.item.sha256,
        details: {
          sourceItemId: review.id,
          sourceSha256: review.sha256,
          mode: made.derivation.mode,
          requestedFromSec: 2.5,
          requestedToSec: 3.5,
          toolVersion: tools.ffmpeg.version,
        },
      });
      expect(made.item.custodySeqs).toEqual([entries[0]!.seq]);
    }
    expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
    expect((await station.engine.check({ rehash: true })).problems).toEqual([]);
  });

  it('lists the clips as derivatives of the source, and queues their thumbnails and filmstrips', async () => {
    const info = await station.call('review.open', { itemId: review.id });
    expect(info.derivatives.map((d) => d.itemId)).toEqual(expect.arrayContaining([lossless.item.id, exact.item.id]));
    const clip = await station.call('review.open', { itemId: exact.item.id });
    expect(clip.derivation).toMatchObject({ kind: 'clip', sourceItemId: review.id });
    expect(clip.item).toMatchObject({ thumbnail: 'pending', filmstrip: 'pending' });
  });

  it('returns the existing item when a cut gives the same bytes, and records the repeated cut', async () => {
    const again = await station.call('clips.create', {
      jobId: jobId(),
      itemId: review.id,
      fromSec: 2.5,
      toSec: 3.5,
      mode: 'lossless',
    });
    expect(again.item.id).toBe(lossless.item.id);
    expect(again.item.sha256).toBe(lossless.item.sha256);
    const entries = await custodyOf(lossless.item.id);
    expect(entries.map((e) => e.action)).toEqual(['clip.create', 'clip.duplicate']);
    expect(entries[1]!.details).toMatchObject({ duplicateOf: lossless.item.id, sourceSha256: review.sha256 });
    expect(await tmpNames()).toEqual([]);
    expect(await station.call('library.query', {})).toMatchObject({ total: 5 });
  });

  it('refuses items that are not recordings with video', async () => {
    for (const item of [photo, audio]) {
      const input = { jobId: jobId(), itemId: item.id, fromSec: 0, toSec: 1, mode: 'lossless' as const };
      expect(await codeOf(station.call('clips.create', input))).toBe('item.notRecording');
    }
  });
});

describe('open GOP (many cameras, and HEVC phones)', () => {
  // x264 with open GOPs on a smooth picture: each keyframe after the first is a non-IDR I-frame
  // whose leading B-frames (decoded after it, shown before it) refer to the group before.
  let openGop: ItemDetail;
  let sourceFrames: Awaited<ReturnType<typeof decodeGrayFrames>>;
  beforeAll(async () => {
    const dir = join(dirname(station.dataDir), 'open-gop');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'open-gop.mp4');
    const input = ['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=6'];
    const x264 = ['-c:v', 'libx264', '-bf', '3', '-x264-params', 'open-gop=1:keyint=25', '-pix_fmt', 'yuv420p'];
    await runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', ...input, ...x264, file]);
    const record = await station.importAndWait([file]);
    openGop = await station.call('items.get', { id: record.files[0]!.itemId! });
    sourceFrames = await decodeGrayFrames(tools, file, 320, 240);
  });

  it('refuses a lossless clip that would start on an open keyframe, before cutting, in plain words', async () => {
    const request = { itemId: openGop.id, fromSec: 2.5, toSec: 3.5, mode: 'lossless' as const };
    expect(await codeOf(station.call('clips.plan', request))).toBe('clip.openGop');
    const before = await allCustody();
    expect(await codeOf(station.call('clips.create', { ...request, jobId: jobId() }))).toBe('clip.openGop');
    expect(await allCustody()).toHaveLength(before.length);
    expect(await tmpNames()).toEqual([]);
  });

  it('still cuts losslessly from the first keyframe (closed), and exactly anywhere', async () => {
    const head = await station.call('clips.create', {
      ...{ jobId: jobId(), itemId: openGop.id },
      ...{ fromSec: 0.2, toSec: 0.8, mode: 'lossless' as const },
    });
    expect(head.derivation.fromSec).toBe(0);
    expect(await decodedFrameMd5s(tools, station.engine.storedPathOf(head.item.sha256))).toHaveLength(
      head.derivation.frameCount,
    );
    const exact = await station.call('clips.create', {
      ...{ jobId: jobId(), itemId: openGop.id },
      ...{ fromSec: 2.5, toSec: 3.5, mode: 'exact' as const },
    });
    expect(exact.derivation.frameCount).toBe(25);
    expect(exact.derivation.fromSec).toBeCloseTo(2.52, 6);
    const frames = await decodeGrayFrames(tools, station.engine.storedPathOf(exact.item.sha256), 320, 240);
    expect(frames).toHaveLength(25);
    frames.forEach((frame, i) => {
      const same = meanAbsDiff(frame.pixels, sourceFrames[63 + i]!.pixels);
      expect(same).toBeLessThan(2);
      expect(meanAbsDiff(frame.pixels, sourceFrames[64 + i]!.pixels)).toBeGreaterThan(same);
    });
  });
});

describe("a recording that does not time every frame (a DVR's MPEG program stream)", () => {
  it('refuses clips and stills in plain words, before cutting, keeping nothing', async () => {
    const dir = join(dirname(station.dataDir), 'dvr');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'dvr.mpg');
    const input = [
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25:duration=6',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=6',
    ];
    const mpeg2 = ['-c:v', 'mpeg2video', '-g', '12', '-bf', '2', '-c:a', 'mp2', '-f', 'vob'];
    await runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', ...input, ...mpeg2, file]);
    const record = await station.importAndWait([file]);
    const itemId = record.files[0]!.itemId!;
    const before = await allCustody();
    for (const mode of ['lossless', 'exact'] as const) {
      const request = { itemId, fromSec: 2.3, toSec: 3.5, mode };
      expect(await codeOf(station.call('clips.plan', request))).toBe('clip.untimed');
      expect(await codeOf(station.call('clips.create', { ...request, jobId: jobId() }))).toBe('clip.untimed');
    }
    expect(await codeOf(station.call('stills.create', { itemId, atSec: 3.3 }))).toBe('clip.untimed');
    expect(await allCustody()).toHaveLength(before.length);
    expect(await tmpNames()).toEqual([]);
  });
});

describe('clips.cancel', () => {
  it('answers job.notFound for a job that is not running', async () => {
    expect(await codeOf(station.call('clips.cancel', { jobId: 'no-such-job' }))).toBe('job.notFound');
  });

  it('refuses a second job with the same id while the first runs (clip.busy)', async () => {
    const id = jobId();
    const input = { jobId: id, itemId: review.id, fromSec: 0, toSec: 5, mode: 'exact' as const };
    const first = station.call('clips.create', input);
    expect(await codeOf(station.call('clips.create', input))).toBe('clip.busy');
    await first;
  });

  it('stops a clip in the making: no item, no temp file, no custody entry, one log line', async () => {
    const before = { custody: await allCustody(), stored: await listStoredShas(station.dataDir) };
    const { total } = await station.call('library.query', {});
    const id = jobId();
    const made = station.call('clips.create', { jobId: id, itemId: review.id, fromSec: 0, toSec: 6, mode: 'exact' });
    const outcome = codeOf(made);
    // Cancel once ffmpeg is writing (its progress shows), so the cut itself is interrupted.
    await Promise.race([nextEvent(station.engine, 'clips.progress', (p) => p.jobId === id), outcome]);
    await station.call('clips.cancel', { jobId: id });
    expect(await outcome).toBe('clip.cancelled');
    expect(await tmpNames()).toEqual([]);
    expect(await listStoredShas(station.dataDir)).toEqual(before.stored);
    expect(await allCustody()).toHaveLength(before.custody.length);
    expect((await station.call('library.query', {})).total).toBe(total);
    expect(
      station.log.lines.some((l) => l.message === 'clip cancelled; nothing was kept' && l.fields?.jobId === id),
    ).toBe(true);
    expect(await codeOf(station.call('clips.cancel', { jobId: id }))).toBe('job.notFound');
  });
});

describe('engine close', () => {
  it('aborts a running clip and leaves nothing behind', async () => {
    const own = await openStation();
    try {
      const record = await own.importAndWait([fx.review]);
      const itemId = record.files[0]!.itemId!;
      const id = 'closing-job-1';
      const outcome = codeOf(own.call('clips.create', { jobId: id, itemId, fromSec: 0, toSec: 6, mode: 'exact' }));
      await Promise.race([nextEvent(own.engine, 'clips.progress', (p) => p.jobId === id), outcome]);
      await own.engine.close();
      expect(await outcome).toBe('clip.cancelled');
      expect(await readdir(join(own.dataDir, 'tmp'))).toEqual([]);
      expect(await listStoredShas(own.dataDir)).toEqual([record.files[0]!.sha256]);
    } finally {
      await own.cleanup();
    }
  });
});

describe('recovery', () => {
  it('removes a clip stored but never recorded when the process died, and keeps recorded ones', async () => {
    const own = await openStation();
    try {
      const record = await own.importAndWait([fx.review]);
      const kept = record.files[0]!.sha256!;
      // What a crash between the rename into the store and the recording transaction leaves.
      const bytes = Buffer.from('a clip that was never recorded');
      const orphan = createHash('sha256').update(bytes).digest('hex');
      const path = own.engine.storedPathOf(orphan);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
      await chmod(path, 0o444);
      await writeFile(join(own.dataDir, 'tmp', `${orphan}.storing`), '');
      await writeFile(join(own.dataDir, 'tmp', `${kept}.storing`), '');
      await own.reopen();
      expect(await listStoredShas(own.dataDir)).toEqual([kept]);
      expect(await readdir(join(own.dataDir, 'tmp'))).toEqual([]);
      expect((await own.engine.check({ rehash: false })).problems).toEqual([]);
    } finally {
      await own.cleanup();
    }
  });
});
