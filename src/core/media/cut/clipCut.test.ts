import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import {
  countFramesAndPackets,
  decodedFrameMd5s,
  decodeGrayFrames,
  meanAbsDiff,
  type DecodedFrame,
} from '../../../../test/support/mediaFrames';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { cutClip } from './clipCut';
import { planClip, type ClipRequest } from './clipPlan';
import { findMainVideo, probeSource } from '../probe/packets';
import { ProcessAbortedError, runProcess } from '../tools/runProcess';

// Source: the review fixture (test/fixtures/generateMedia.ts): 6 s, 25 fps, keyframes every
// second, B-frames, every frame far from its neighbours. Each cut is checked by reading the OUTPUT:
// its packets and decoded frames, compared with the source's decoded frames.
const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
let sourceFrames: DecodedFrame[];
let sourceMd5s: string[];
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'clip-'));
  sourceFrames = await decodeGrayFrames(tools, fx.review, 320, 240);
  sourceMd5s = await decodedFrameMd5s(tools, fx.review);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const out = (name: string) => path.join(dir, name);
const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
const cut = async (src: string, name: string, request: ClipRequest) => {
  const plan = await planClip(tools, src, request);
  return cutClip(tools, src, out(`${name}${plan.extension}`), plan);
};
const ffmpeg = (args: string[]) =>
  runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 60_000 });

describe('cutClip, lossless', () => {
  it('copies from the keyframe with nothing hidden, frames identical to the source', async () => {
    const progress: number[] = [];
    const plan = await planClip(tools, fx.review, { fromSec: 2.5, toSec: 4.3, mode: 'lossless' });
    const hash = async (file: string) =>
      createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    const clip = await cutClip(tools, fx.review, out('lossless.mp4'), plan, {
      onProgress: (f) => progress.push(f),
      hash,
    });
    expect(clip.sha256).toBe(await hash(clip.path));

    expect(clip.measured).toMatchObject({
      fromSec: 2,
      toSec: 4.28,
      frameCount: 57,
      firstFrameIsKeyframe: true,
      startPtsSec: 0,
      discardedPackets: 0,
    });
    expect(clip.measured.durationSec).toBeCloseTo(2.28, 6);
    // No edit list or discard flag hides a frame: every packet decodes to a shown frame.
    expect(await countFramesAndPackets(tools, clip.path)).toEqual({ frames: 57, packets: 57 });
    // Bit-identical pictures: the source's frames 50 (2.00 s) to 106 (4.24 s).
    expect(await decodedFrameMd5s(tools, clip.path)).toEqual(sourceMd5s.slice(50, 107));
    const frames = await decodeGrayFrames(tools, clip.path, 320, 240);
    expect(frames[0]?.timeSec).toBe(0);
    expect(frames.at(-1)?.timeSec).toBeCloseTo(2.24, 6);

    const audio = clip.streams.kept.find((s) => s.type === 'audio');
    expect(audio).toMatchObject({ codec: 'aac', sampleRate: 48000 });
    const audioSpan = await readStreamSpan(clip.path, 'a:0');
    expect(audioSpan.start).toBeGreaterThanOrEqual(0);
    expect(audioSpan.start).toBeLessThan(0.022);
    expect(audioSpan.end).toBeCloseTo(2.28, 1);
    expect(clip.streams.dropped).toEqual([]);
    expect(clip.encoder).toBeNull();
    expect(clip).toMatchObject({ tool: 'ffmpeg', toolVersion: tools.ffmpeg.version, path: out('lossless.mp4') });
    expect(clip.args.at(-1)).toBe(out('lossless.mp4'));
    expect(clip.commandLine).toContain('-copypriorss 0');
    expect(progress.at(-1)).toBe(1);
    expect(await leftovers()).toEqual([]);
  });

  it('starts on the keyframe when the in point is exactly on it, and runs to the end', async () => {
    const clip = await cut(fx.review, 'tail', { fromSec: 5, toSec: 9, mode: 'lossless' });
    expect(clip.measured).toMatchObject({ fromSec: 5, toSec: 6, frameCount: 25, firstFrameIsKeyframe: true });
    expect(await decodedFrameMd5s(tools, clip.path)).toEqual(sourceMd5s.slice(125, 150));
  });

  it('keeps the container and its other streams, and labels the clip with its own timecode', async () => {
    const srt = out('notes.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:05,000\nvendor cart\n');
    const mov = out('with-streams.mov');
    await ffmpeg([...['-i', fx.review, '-i', srt, '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'mov_text'], mov]);
    const src = out('timecode.mov');
    await ffmpeg(['-i', mov, '-map', '0', '-c', 'copy', '-timecode', '01:00:00:00', src]);

    const clip = await cut(src, 'streams', { fromSec: 1.2, toSec: 2.6, mode: 'lossless' });
    expect(clip.plan.container).toBe('mov');
    expect(clip.path.endsWith('.mov')).toBe(true);
    expect(clip.measured).toMatchObject({ fromSec: 1, frameCount: clip.plan.frameCount, discardedPackets: 0 });
    // The source's timecode track says 01:00:00:00 for its first frame; the clip starts 1 s later.
    expect(clip.streams.kept.map((s) => s.type)).toEqual(['video', 'audio', 'subtitle', 'data']);
    expect(clip.streams.kept[0]?.timecode).toBe('01:00:01:00');
    expect(clip.streams.dropped).toEqual([
      expect.objectContaining({ index: 3, type: 'data', codec: 'tmcd', reason: expect.stringMatching(/timecode/) }),
    ]);
  });

  it('drops a stream the container refuses, says why, and cuts the rest', async () => {
    const srt = out('refused.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:05,000\nvendor cart\n');
    const src = out('refused.mkv');
    await ffmpeg(['-i', fx.review, '-i', srt, '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'srt', src]);
    // Matroska keeps SubRip (next test); an MP4 clip of it cannot, and ffmpeg refuses the whole file.
    const plan = await planClip(tools, src, { fromSec: 1.05, toSec: 2, mode: 'lossless' });
    const clip = await cutClip(tools, src, out('refused.mp4'), { ...plan, container: 'mp4', extension: '.mp4' });
    expect(clip.streams.kept.map((s) => s.codec)).toEqual(['h264', 'aac']);
    expect(clip.streams.dropped).toEqual([
      { index: 2, type: 'subtitle', codec: 'subrip', reason: expect.stringMatching(/^the mp4 container refused it/) },
    ]);
    expect(clip.measured.frameCount).toBe(plan.frameCount);
    expect(await leftovers()).toEqual([]);
  });

  it('keeps SubRip subtitles in Matroska', async () => {
    const srt = out('subrip.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:05,000\nvendor cart\n');
    const src = out('subrip.mkv');
    await ffmpeg(['-i', fx.review, '-i', srt, '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'srt', src]);
    // Remuxed into Matroska, the video starts 21 ms after the audio's priming: the keyframe the
    // source shows at 1.000 s is at media time 1.021 s here.
    const clip = await cut(src, 'subrip', { fromSec: 1.05, toSec: 2, mode: 'lossless' });
    expect(clip.plan.container).toBe('mkv');
    expect(clip.plan.fromSec).toBeCloseTo(1.021, 6);
    expect(clip.streams.kept.map((s) => s.codec)).toEqual(['h264', 'aac', 'subrip']);
    expect(await decodedFrameMd5s(tools, clip.path)).toEqual(sourceMd5s.slice(25, 25 + clip.measured.frameCount));
  });

  it('cuts MJPEG in AVI (every frame a keyframe) into AVI', async () => {
    const clip = await cut(fx.mjpeg, 'mjpeg', { fromSec: 0.5, toSec: 1.5, mode: 'lossless' });
    // 0.48 s is on screen at 0.5 s; 1.48 s is the last frame before 1.5 s.
    expect(clip.plan).toMatchObject({ container: 'avi', fromSec: 0.48, toSec: 1.52, frameCount: 26 });
    expect(clip.measured).toMatchObject({ fromSec: 0.48, toSec: 1.52, frameCount: 26 });
    expect(clip.streams.kept.map((s) => s.codec)).toEqual(['mjpeg', 'pcm_s16le']);
  });

  it('handles a container that does not start at 0 and stores no decode times (Matroska)', async () => {
    const src = out('offset.mkv');
    await ffmpeg(['-i', fx.review, '-c', 'copy', '-output_ts_offset', '1', src]);
    const source = await probeSource(tools, src);
    expect(source.startSec).toBeGreaterThan(0.9);
    const clip = await cut(src, 'offset', { fromSec: 2.5, toSec: 4.3, mode: 'lossless' });
    // Media times are counted from the container's start, so the keyframes moved with it.
    const shift = 1 - source.startSec;
    expect(clip.plan.fromSec).toBeCloseTo(2 + shift, 3);
    expect(clip.measured.frameCount).toBe(57);
    expect(await decodedFrameMd5s(tools, clip.path)).toEqual(sourceMd5s.slice(50, 107));
  });

  it('keeps the display rotation', async () => {
    const clip = await cut(fx.rotated, 'rotated', { fromSec: 1, toSec: 2, mode: 'lossless' });
    expect(findMainVideo(clip.plan.source)?.rotation).toBe(90);
    expect(clip.streams.kept[0]?.rotation).toBe(90);
  });
});

describe('cutClip, exact', () => {
  it('re-encodes exactly the frames in [from, to), each matching the source frame at its time', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 2.52, toSec: 4.3, mode: 'exact' });
    const clip = await cutClip(tools, fx.review, out('exact.mp4'), plan);
    expect(clip.measured).toMatchObject({
      fromSec: 2.52,
      toSec: 4.32,
      frameCount: 45,
      firstFrameIsKeyframe: true,
      startPtsSec: 0,
      discardedPackets: 0,
    });
    expect(await countFramesAndPackets(tools, clip.path)).toEqual({ frames: 45, packets: 45 });

    const frames = await decodeGrayFrames(tools, clip.path, 320, 240);
    expect(frames).toHaveLength(45);
    frames.forEach((frame, i) => {
      const at = 63 + i; // 2.52 s is frame 63
      const same = meanAbsDiff(frame.pixels, sourceFrames[at]?.pixels ?? Buffer.alloc(0));
      const before = meanAbsDiff(frame.pixels, sourceFrames[at - 1]?.pixels ?? Buffer.alloc(0));
      const after = meanAbsDiff(frame.pixels, sourceFrames[at + 1]?.pixels ?? Buffer.alloc(0));
      expect(frame.timeSec).toBeCloseTo(i * 0.04, 6);
      expect(same).toBeLessThan(2);
      expect(Math.min(before, after)).toBeGreaterThan(20 * same + 10);
    });

    const [video, audio] = clip.streams.kept;
    expect(video).toMatchObject({ codec: 'h264', width: 320, height: 240, pixelFormat: 'yuv420p', frameRate: 25 });
    expect(audio).toMatchObject({ type: 'audio', codec: 'aac' });
    // AAC encoding starts with one frame of encoder delay (1024 samples), hidden as in every AAC file.
    const audioSpan = await readStreamSpan(clip.path, 'a:0');
    expect(audioSpan.start).toBeCloseTo(-1024 / 48000, 4);
    expect(audioSpan.end).toBeCloseTo(1.8, 1);
    expect(clip.encoder).toEqual({
      video: { codec: 'libx264', preset: 'faster', crf: 16, pixelFormat: 'yuv420p', frameRate: '12800/512' },
      audio: { codec: 'aac', bitrate: '192k', streams: 1 },
    });
    expect(clip.args).toEqual(expect.arrayContaining(['-movflags', '+faststart', '-crf', '16']));
  });

  it('converts a pixel format Chromium cannot play in H.264, records it, and keeps the rotation', async () => {
    const src = out('yuv422.mp4');
    const encode = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv422p', '-c:a', 'copy'];
    await ffmpeg(['-noautorotate', '-i', fx.rotated, ...encode, src]);
    expect(findMainVideo(await probeSource(tools, src))).toMatchObject({
      pixelFormat: 'yuv422p',
      rotation: 90,
    });
    const clip = await cut(src, 'yuv422', { fromSec: 0.4, toSec: 1.2, mode: 'exact' });
    expect(clip.encoder?.video).toMatchObject({ pixelFormat: 'yuv420p', convertedFromPixelFormat: 'yuv422p' });
    expect(clip.measured).toMatchObject({ fromSec: 0.4, frameCount: 20 });
    expect(clip.streams.kept[0]).toMatchObject({
      width: 320,
      height: 240,
      pixelFormat: 'yuv420p',
      rotation: 90,
    });
  });

  it('keeps every frame of a variable-frame-rate source with its own time, and nothing hidden', async () => {
    // From frame 30 on, every frame is shown later: one longer interval in a 40 ms stream.
    const src = out('vfr.mp4');
    const shift = ['-vf', 'setpts=PTS+gte(N\\,30)*0.02/TB', '-vsync', 'passthrough'];
    await ffmpeg([
      '-i',
      fx.review,
      ...shift,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-bf',
      '2',
      '-c:a',
      'copy',
      src,
    ]);
    const vfrFrames = await decodeGrayFrames(tools, src, 320, 240);
    const clip = await cut(src, 'vfr', { fromSec: 1, toSec: 1.5, mode: 'exact' });
    expect(clip.encoder?.video.frameRate).toBe('variable');
    // 1.00 … 1.16, then (after an 80 ms gap) 1.24 … 1.48, shown until 1.52: 5 + 7 frames.
    expect(clip.measured).toMatchObject({ fromSec: 1, toSec: 1.52, frameCount: 12, discardedPackets: 0 });
    expect(clip.measured.endEstimated).toBe(false);
    expect(clip.measured.firstFrameIsKeyframe).toBe(true);
    expect(await countFramesAndPackets(tools, clip.path)).toEqual({ frames: 12, packets: 12 });
    const frames = await decodeGrayFrames(tools, clip.path, 320, 240);
    const firstAt = vfrFrames.findIndex((f) => Math.abs(f.timeSec - 1) < 1e-6);
    frames.forEach((frame, i) => {
      const source = vfrFrames[firstAt + i];
      expect(frame.timeSec).toBeCloseTo((source?.timeSec ?? 0) - 1, 6);
      expect(meanAbsDiff(frame.pixels, source?.pixels ?? Buffer.alloc(0))).toBeLessThan(2);
    });
  });

  it('gives the last frame its own duration when the encoder reorders frames (phone-like timing)', async () => {
    // Frame times jitter as a phone's do (some frames dropped, gaps of 40 to 120 ms); the clip is
    // long enough for the encoder's B-frames, and ends before a long gap.
    const src = out('jitter.mp4');
    const jitter = ['-vf', 'setpts=PTS+if(gte(N\\,30)\\,0.013*mod(N\\,7)/TB\\,0)', '-vsync', 'vfr'];
    await ffmpeg(['-i', fx.review, ...jitter, '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'copy', src]);
    const times = (await decodeGrayFrames(tools, src, 320, 240)).map((f) => f.timeSec);
    const inRange = times.filter((t) => t >= 2.3 - 1e-6 && t < 5.1 - 1e-6);
    const next = times.find((t) => t >= 5.1 - 1e-6);
    const clip = await cut(src, 'jitter', { fromSec: 2.3, toSec: 5.1, mode: 'exact' });
    expect(clip.encoder?.video.frameRate).toBe('variable');
    expect(clip.measured.frameCount).toBe(inRange.length);
    expect(clip.measured.toSec).toBeCloseTo(next ?? Number.NaN, 6);
    const clipTimes = (await decodeGrayFrames(tools, clip.path, 320, 240)).map((f) => f.timeSec);
    expect(clipTimes.map((t) => t + (inRange[0] ?? 0))).toEqual(inRange.map((t) => expect.closeTo(t, 6)));
  });

  it('lists the streams an exact clip leaves out', async () => {
    const srt = out('exact.srt');
    await writeFile(srt, '1\n00:00:00,500 --> 00:00:05,000\nvendor cart\n');
    const src = out('exact-sub.mkv');
    await ffmpeg(['-i', fx.review, '-i', srt, '-map', '0', '-map', '1', '-c', 'copy', '-c:s', 'srt', src]);
    const clip = await cut(src, 'exact-sub', { fromSec: 1, toSec: 1.4, mode: 'exact' });
    expect(clip.streams.kept.map((s) => s.type)).toEqual(['video', 'audio']);
    expect(clip.streams.dropped).toEqual([
      { index: 2, type: 'subtitle', codec: 'subrip', reason: expect.stringMatching(/video and its audio only/) },
    ]);
  });
});

// MPEG-TS has no index: ffmpeg seeks by a search on packet timestamps and lands on any packet. The
// review fixture's bitstream is remuxed (so every decoded picture is the source's), and each cut is
// located in the source by its pictures: MD5-identical for lossless, the same frames for exact.
describe('cutClip, MPEG-TS', () => {
  let ts: string;
  let videoOffsetSec: number;
  beforeAll(async () => {
    ts = out('remuxed.ts');
    await ffmpeg(['-i', fx.review, '-map', '0', '-c', 'copy', '-f', 'mpegts', ts]);
    const source = await probeSource(tools, ts);
    const video = findMainVideo(source);
    // The muxer starts at 1.4 s and the audio's priming makes the video start a little later.
    videoOffsetSec = (video?.startSec ?? Number.NaN) - source.startSec;
    expect(source.formatName).toBe('mpegts');
    expect(videoOffsetSec).toBeGreaterThanOrEqual(0);
    expect(await decodedFrameMd5s(tools, ts)).toEqual(sourceMd5s);
  });
  // `|| 0`: a time a hair before the first frame rounds to -0, which is frame 0.
  const frameIndex = (mediaSec: number) => Math.round((mediaSec - videoOffsetSec) / 0.04) || 0;

  it.each([0.5, 1.0, 2.52, 3.97, 5.3])('lossless from %s s: the keyframe before it, frames identical', async (at) => {
    const from = at + videoOffsetSec;
    const clip = await cut(ts, `ts-lossless-${at}`, { fromSec: from, toSec: from + 0.9, mode: 'lossless' });
    expect(clip.plan.container).toBe('ts');
    const first = frameIndex(clip.measured.fromSec);
    expect(first).toBe(Math.floor(at) * 25);
    expect(clip.measured).toMatchObject({ firstFrameIsKeyframe: true, frameCount: clip.plan.frameCount });
    expect(await decodedFrameMd5s(tools, clip.path)).toEqual(sourceMd5s.slice(first, first + clip.plan.frameCount));
  });

  it.each([0.5, 1.0, 2.52, 3.97, 5.3])('exact from %s s: exactly the frames asked for', async (at) => {
    const from = at + videoOffsetSec;
    const clip = await cut(ts, `ts-exact-${at}`, { fromSec: from, toSec: from + 0.5, mode: 'exact' });
    const first = frameIndex(clip.measured.fromSec);
    expect(first).toBe(Math.ceil(at / 0.04 - 1e-6));
    expect(clip.measured.frameCount).toBe(clip.plan.frameCount);
    const frames = await decodeGrayFrames(tools, clip.path, 320, 240);
    expect(frames).toHaveLength(clip.plan.frameCount);
    frames.forEach((frame, i) => {
      const source = sourceFrames[first + i]?.pixels ?? Buffer.alloc(0);
      const neighbour = sourceFrames[first + i + 1]?.pixels ?? sourceFrames[first + i - 1]?.pixels ?? Buffer.alloc(0);
      expect(meanAbsDiff(frame.pixels, source)).toBeLessThan(2);
      expect(meanAbsDiff(frame.pixels, neighbour)).toBeGreaterThan(10);
    });
  });
});

describe('cutClip, cancel', () => {
  it('stops ffmpeg and leaves no file behind', async () => {
    const plan = await planClip(tools, fx.review, { fromSec: 0, toSec: 6, mode: 'exact' });
    const controller = new AbortController();
    // Abort as soon as ffmpeg has started writing.
    const watch = setInterval(() => {
      void leftovers().then((temps) => temps.length > 0 && controller.abort());
    }, 5);
    try {
      await expect(
        cutClip(tools, fx.review, out('cancelled.mp4'), plan, { signal: controller.signal }),
      ).rejects.toBeInstanceOf(ProcessAbortedError);
    } finally {
      clearInterval(watch);
    }
    await expect(stat(out('cancelled.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await leftovers()).toEqual([]);
  });
});

/** First and last presentation time (seconds) of a stream, from its packets. */
async function readStreamSpan(file: string, stream: string): Promise<{ start: number; end: number }> {
  const { stdout } = await runProcess(
    tools.ffprobe.path,
    [
      '-v',
      'error',
      '-select_streams',
      stream,
      '-show_entries',
      'packet=pts_time,duration_time',
      '-of',
      'csv=p=0',
      file,
    ],
    { collectStdout: true, timeoutMs: 30_000 },
  );
  const rows = stdout
    .trim()
    .split('\n')
    .map((line) => line.split(',').map(Number));
  const starts = rows.map((r) => r[0] ?? 0);
  const ends = rows.map((r) => (r[0] ?? 0) + (r[1] ?? 0));
  return { start: Math.min(...starts), end: Math.max(...ends) };
}
