import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { decodeRgbFrameAt, decodeRgbImage, meanAbsDiff } from '../../../../test/support/mediaFrames';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { ClipRangeError } from './clipPlan';
import { findMainVideo, probeSource } from '../probe/packets';
import { runProcess } from '../tools/runProcess';
import { makeStill } from './still';

// The review fixture: 25 fps, frame n at n × 0.04 s, each frame far from its neighbours.
const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'still-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const out = (name: string) => path.join(dir, name);

describe('makeStill', () => {
  it('is the decoded source frame at that time, pixel for pixel, as a full-size PNG', async () => {
    const still = await makeStill(tools, fx.review, out('at-2.52.png'), { atSec: 2.52 });
    expect(still).toMatchObject({ frameSec: 2.52, width: 320, height: 240, pixelFormat: 'rgb24', tool: 'ffmpeg' });
    expect(still.args.at(-1)).toBe(out('at-2.52.png'));
    const png = await decodeRgbImage(tools, still.path);
    expect(png.equals(await decodeRgbFrameAt(tools, fx.review, 63))).toBe(true);
    expect(meanAbsDiff(png, await decodeRgbFrameAt(tools, fx.review, 64))).toBeGreaterThan(20);
  });

  it('takes the frame on screen: the earlier one when the time falls between two frames', async () => {
    const between = await makeStill(tools, fx.review, out('at-2.50.png'), { atSec: 2.5 });
    expect(between.frameSec).toBe(2.48);
    expect((await decodeRgbImage(tools, between.path)).equals(await decodeRgbFrameAt(tools, fx.review, 62))).toBe(true);
    const almostNext = await makeStill(tools, fx.review, out('at-2.5199.png'), { atSec: 2.5199 });
    expect(almostNext.frameSec).toBe(2.48);
    const last = await makeStill(tools, fx.review, out('at-5.99.png'), { atSec: 5.99 });
    expect(last.frameSec).toBe(5.96);
  });

  it('turns the picture upright as the player shows it', async () => {
    const still = await makeStill(tools, fx.rotated, out('rotated.png'), { atSec: 0.5 });
    expect(still).toMatchObject({ width: 240, height: 320 });
  });

  it('refuses a time past the end or a file without video, leaving nothing behind', async () => {
    await expect(makeStill(tools, fx.review, out('late.png'), { atSec: 7 })).rejects.toMatchObject({
      reason: 'outside',
    });
    await expect(makeStill(tools, fx.audio, out('audio.png'), { atSec: 0.5 })).rejects.toBeInstanceOf(ClipRangeError);
    await expect(stat(out('late.png'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('finds the frame in an MPEG-TS recording, which has no index to seek by', async () => {
    // The same bitstream remuxed, starting at a camera clock of 5000 s: between keyframes, the
    // still must still be the source's frame, pixel for pixel.
    const ts = out('remuxed.ts');
    const remux = ['-nostdin', '-v', 'error', '-i', fx.review, '-map', '0', '-c', 'copy', '-output_ts_offset', '5000'];
    await runProcess(tools.ffmpeg.path, [...remux, '-f', 'mpegts', ts]);
    const source = await probeSource(tools, ts);
    const videoOffsetSec = (findMainVideo(source)?.startSec ?? Number.NaN) - source.startSec;
    for (const frame of [12, 63, 99, 140]) {
      const still = await makeStill(tools, ts, out(`ts-${frame}.png`), { atSec: videoOffsetSec + frame * 0.04 + 0.01 });
      expect(still.frameSec).toBeCloseTo(videoOffsetSec + frame * 0.04, 6);
      expect((await decodeRgbImage(tools, still.path)).equals(await decodeRgbFrameAt(tools, fx.review, frame))).toBe(
        true,
      );
    }
  });
});
