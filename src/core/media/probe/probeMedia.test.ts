import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaInfo } from '../../../shared/schemas';
import { getMediaFixtures, MEDIA_FIXTURES, type FixtureName } from '../../../../test/fixtures';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { DEFAULT_FILE_NAME_PATTERNS } from './fileNamePatterns';
import { probeMedia, type ProbeContext } from './probeMedia';
import { ProcessAbortedError, runProcess } from '../tools/runProcess';

const fx = getMediaFixtures();
const CST = 480;
const mtime = new Date('2026-03-02T04:00:00Z');
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'probe-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ctxFor = (fileName: string, extra: Partial<ProbeContext> = {}): ProbeContext => ({
  fileName,
  modifiedAt: mtime,
  patterns: DEFAULT_FILE_NAME_PATTERNS,
  stationOffsetMinutes: CST,
  ...extra,
});
const probe = (name: FixtureName, extra: Partial<ProbeContext> = {}) =>
  probeMedia(tools, fx[name], ctxFor(MEDIA_FIXTURES[name], extra));

async function probeOk(name: FixtureName): Promise<MediaInfo> {
  const result = await probe(name);
  if (!result.ok) throw new Error(`${name} not ok: ${result.reason}`);
  return MediaInfo.parse(result.info);
}

describe('probeMedia on playable files', () => {
  it('describes an H.264 MP4 completely', async () => {
    expect(await probeOk('h264')).toEqual({
      kind: 'video',
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      mimeType: 'video/mp4',
      durationSec: 3,
      width: 320,
      height: 240,
      frameRate: 25,
      videoCodec: 'h264',
      audioCodec: 'aac',
      pixelFormat: 'yuv420p',
      bitRate: expect.any(Number),
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'container',
      offsetKnown: false,
      browserPlayable: true,
    });
  });

  it('reads device, officer and time of a body-cam file', async () => {
    expect(await probeOk('bodycam')).toMatchObject({
      deviceId: 'DSJ-A8',
      officerId: '012345',
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'container',
    });
  });

  it('reads place and device of a located MOV', async () => {
    expect(await probeOk('located')).toMatchObject({
      gps: { lat: 31.2304, lon: 121.4737 },
      make: 'ACME',
      model: 'BC-9',
      browserPlayable: true,
    });
  });

  it('marks HEVC and MJPEG as needing a proxy, VP8 WebM and rotated H.264 as playable', async () => {
    expect((await probeOk('hevc')).browserPlayable).toBe(false);
    expect(await probeOk('mjpeg')).toMatchObject({ mimeType: 'video/x-msvideo', browserPlayable: false });
    expect(await probeOk('vp8')).toMatchObject({ mimeType: 'video/webm', browserPlayable: true });
    expect(await probeOk('rotated')).toMatchObject({ rotation: 90, browserPlayable: true });
  });

  it('describes audio and a Chinese file name with spaces', async () => {
    expect(await probeOk('audio')).toMatchObject({ kind: 'audio', mimeType: 'audio/mp4', browserPlayable: true });
    expect(await probeOk('chineseName')).toMatchObject({
      kind: 'video',
      recordedAt: '2026-03-02T12:00:00+08:00',
      recordedAtSource: 'filesystem',
    });
  });

  it('describes photos with EXIF time, offset and place', async () => {
    expect(await probeOk('photoGps')).toEqual({
      kind: 'photo',
      container: 'jpeg',
      mimeType: 'image/jpeg',
      width: 320,
      height: 240,
      rotation: 0,
      gps: { lat: expect.closeTo(31.2304, 6), lon: expect.closeTo(121.4737, 6), alt: 12 },
      make: 'Apple',
      model: 'iPhone 15 Pro',
      serial: 'SN-0042',
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'exif',
      offsetKnown: true,
      browserPlayable: true,
    });
    expect(await probeOk('photoNoOffset')).toMatchObject({ recordedAtSource: 'exif', offsetKnown: false });
    expect(await probeOk('photoPng')).toMatchObject({ kind: 'photo', mimeType: 'image/png', browserPlayable: true });
  });

  it('trusts the content over a wrong extension', async () => {
    const renamed = path.join(dir, 'actually-video.jpg');
    await copyFile(fx.h264, renamed);
    const result = await probeMedia(tools, renamed, ctxFor('actually-video.jpg'));
    expect(result.ok && result.info.kind).toBe('video');
  });

  it('describes MPEG-TS and AVCHD (M2TS) recordings', async () => {
    // Their service names go through iconv, which crashed the static ffprobe (see `mediaToolEnv`).
    const remux = async (name: string, extra: string[]) => {
      const file = path.join(dir, name);
      const args = ['-nostdin', '-v', 'error', '-y', '-i', fx.review, '-map', '0', '-c', 'copy'];
      await runProcess(tools.ffmpeg.path, [...args, ...extra, '-metadata', 'service_name=执法记录仪 01', file]);
      return file;
    };
    const ts = await remux('camera.ts', ['-f', 'mpegts']);
    const mts = await remux('00001.MTS', ['-mpegts_m2ts_mode', '1', '-f', 'mpegts']);
    for (const [file, name] of [
      [ts, 'camera.ts'],
      [mts, '00001.MTS'],
    ] as const) {
      const result = await probeMedia(tools, file, ctxFor(name));
      if (!result.ok) throw new Error(`${name} not ok: ${result.reason}`);
      expect(result.info).toMatchObject({ kind: 'video', videoCodec: 'h264', audioCodec: 'aac', width: 320 });
      expect(result.info.durationSec).toBeCloseTo(6, 1);
    }
  });
});

describe('probeMedia on broken files', () => {
  it.each([
    ['truncated', 'video', /^ffprobe: .*moov atom not found|Invalid data/],
    ['zero', 'video', /^empty file$/],
    ['garbage', 'video', /^ffprobe: /],
    ['truncatedJpeg', 'photo', /^JPEG is truncated/],
    ['notes', 'other', /^not a media file$/],
  ] as const)('%s is not ok, kind %s', async (name, kind, reason) => {
    const result = await probe(name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.kind).toBe(kind);
    expect(result.reason).toMatch(reason);
    expect(MediaInfo.safeParse(result.partial).success).toBe(true);
    expect(result.partial.recordedAtSource).toBeDefined();
  });

  it('keeps file-name facts for an undecodable body-cam file', async () => {
    const broken = path.join(dir, MEDIA_FIXTURES.bodycam);
    await copyFile(fx.truncated, broken);
    const result = await probeMedia(tools, broken, ctxFor(MEDIA_FIXTURES.bodycam));
    expect(result).toMatchObject({
      ok: false,
      partial: { deviceId: 'DSJ-A8', officerId: '012345', recordedAtSource: 'filename', offsetKnown: false },
    });
  });

  it('throws when aborted instead of calling the file undecodable', async () => {
    await expect(probe('h264', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(ProcessAbortedError);
  });

  it('throws for a path that does not exist', async () => {
    await expect(probeMedia(tools, path.join(dir, 'missing.mp4'), ctxFor('missing.mp4'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
