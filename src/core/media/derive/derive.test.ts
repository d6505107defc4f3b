import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { locateNpmFfmpeg } from '../../../../test/fixtures/generateMedia';
import { readFrameTimes } from '../../../../test/support/mediaFrames';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { makeProxy, makeThumbnail } from './derive';
import { parseFfprobe, runFfprobe } from '../probe/ffprobe';
import { findMainVideo, probeSource } from '../probe/packets';
import { ProcessAbortedError, ProcessFailedError, runProcess } from '../tools/runProcess';

const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'derive-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const probe = async (file: string) => parseFfprobe(await runFfprobe(tools, file));
const out = (name: string) => path.join(dir, name);
/** No temp files may be left behind, whatever happened. */
const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

describe('makeThumbnail', () => {
  it('makes a 320 px wide JPEG of the frame 10% into a video', async () => {
    const progress: number[] = [];
    const made = await makeThumbnail(tools, fx.h264, out('h264.jpg'), { onProgress: (f) => progress.push(f) });
    expect(made.atSec).toBeCloseTo(0.3, 6);
    expect(made).toMatchObject({ path: out('h264.jpg'), tool: 'ffmpeg', toolVersion: tools.ffmpeg.version });
    expect(made.args.at(-1)).toBe(out('h264.jpg'));
    expect(made.commandLine).toContain('-ss 0.300');
    expect(await probe(made.path)).toMatchObject({ videoCodec: 'mjpeg', width: 320, height: 240 });
    expect(progress).toEqual([1]);
  });

  it('turns a rotated video upright and works on photos, HEVC and MJPEG AVI', async () => {
    expect(await probe((await makeThumbnail(tools, fx.rotated, out('rot.jpg'))).path)).toMatchObject({
      width: 320,
      height: 426,
    });
    expect(await probe((await makeThumbnail(tools, fx.photoGps, out('photo.jpg'))).path)).toMatchObject({ width: 320 });
    const turned = await makeThumbnail(tools, fx.photoPng, out('png.jpg'), { rotation: 90 });
    expect(await probe(turned.path)).toMatchObject({ width: 320, height: 426 });
    expect((await probe((await makeThumbnail(tools, fx.hevc, out('hevc.jpg'))).path)).width).toBe(320);
    expect((await probe((await makeThumbnail(tools, fx.mjpeg, out('avi.jpg'))).path)).width).toBe(320);
  });

  it('fails on an undecodable file without leaving a file behind', async () => {
    await expect(makeThumbnail(tools, fx.garbage, out('garbage.jpg'), { atSec: 1 })).rejects.toBeInstanceOf(
      ProcessFailedError,
    );
    await expect(stat(out('garbage.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await leftovers()).toEqual([]);
  });

  it('makes a thumbnail of an AV1 recording (screen captures, downloaded clips)', async () => {
    // FFmpeg's own AV1 decoder decodes nothing without a hardware decoder: a pair needs libaom's or
    // dav1d's. Encoded by the npm ffmpeg, whose libaom has an encoder (the station only decodes).
    const av1 = out('screen.mkv');
    const encode = ['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1', '-pix_fmt', 'yuv420p'];
    const aom = ['-c:v', 'libaom-av1', '-strict', 'experimental', '-cpu-used', '8', '-b:v', '100k'];
    await runProcess(locateNpmFfmpeg(), ['-nostdin', '-v', 'error', ...encode, ...aom, av1]);
    expect(await probe(av1)).toMatchObject({ videoCodec: 'av1' });
    const made = await makeThumbnail(tools, av1, out('av1.jpg'));
    expect(await probe(made.path)).toMatchObject({ videoCodec: 'mjpeg', width: 320, height: 240 });
  });

  it('fails when the seek lands past the end instead of keeping an empty file', async () => {
    await expect(makeThumbnail(tools, fx.h264, out('late.jpg'), { atSec: 100 })).rejects.toThrow(
      /ffmpeg wrote nothing/,
    );
    await expect(stat(out('late.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('makeProxy', () => {
  it('re-encodes HEVC to H.264 yuv420p + AAC with faststart, reporting progress up to 1', async () => {
    const progress: number[] = [];
    const made = await makeProxy(tools, fx.hevc, out('hevc-proxy.mp4'), { onProgress: (f) => progress.push(f) });
    const facts = await probe(made.path);
    expect(facts).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', pixelFormat: 'yuv420p', width: 320 });
    expect(facts.durationSec).toBeCloseTo(2, 0);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(made.args).toEqual(expect.arrayContaining(['-movflags', '+faststart', '-preset', 'veryfast', '-crf', '23']));
  });

  it('turns a rotated video upright and drops its rotation', async () => {
    const facts = await probe((await makeProxy(tools, fx.rotated, out('rot-proxy.mp4'))).path);
    expect(facts).toMatchObject({ width: 240, height: 320 });
    expect(facts.rotation ?? 0).toBe(0);
  });

  it('converts MJPEG with PCM audio, and video without audio', async () => {
    expect(await probe((await makeProxy(tools, fx.mjpeg, out('avi-proxy.mp4'))).path)).toMatchObject({
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
    const silent = await probe((await makeProxy(tools, fx.photoPng, out('still-proxy.mp4'), { durationSec: 1 })).path);
    expect(silent).toMatchObject({ videoCodec: 'h264', hasAudio: false });
  });

  it('keeps every frame at its own time when the video starts after the audio (MPEG-TS)', async () => {
    const ts = out('remuxed.ts');
    await runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', '-i', fx.review, '-c', 'copy', '-f', 'mpegts', ts]);
    const source = await probeSource(tools, ts);
    const startOf = (s: typeof source) => (findMainVideo(s)?.startSec ?? Number.NaN) - s.startSec;
    expect(startOf(source)).toBeGreaterThan(0.01);
    const proxy = await makeProxy(tools, ts, out('ts-proxy.mp4'));
    // Frame n of the proxy is shown when frame n of the original is (the MP4 edit list that
    // delays the video is written in whole milliseconds).
    const times = async (file: string, offset: number) => (await readFrameTimes(tools, file)).map((t) => t - offset);
    const original = await times(ts, source.startSec);
    const proxied = await times(proxy.path, (await probeSource(tools, proxy.path)).startSec);
    expect(proxied).toHaveLength(original.length);
    proxied.forEach((t, i) => expect(Math.abs(t - (original[i] ?? Number.NaN))).toBeLessThan(0.001));
  });

  it('stops when aborted and leaves nothing behind', async () => {
    const controller = new AbortController();
    const pending = makeProxy(tools, fx.h264, out('aborted.mp4'), { signal: controller.signal, durationSec: 3 });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(ProcessAbortedError);
    await expect(stat(out('aborted.mp4'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await leftovers()).toEqual([]);
  });
});
