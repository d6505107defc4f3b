import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { locateNpmFfmpeg } from '../../../../test/fixtures/generateMedia';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { kindByExtension, readFileHead, sniffKind } from './classify';
import { runProcess } from '../tools/runProcess';

const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'classify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Remuxes or encodes the H.264 fixture into another container with real ffmpeg. */
/** `fx.h264` converted by the suite's ffmpeg, or by `ffmpeg` for an encoder the station never uses. */
async function convert(name: string, args: string[], ffmpeg = tools.ffmpeg.path): Promise<string> {
  const out = path.join(dir, name);
  await runProcess(ffmpeg, ['-nostdin', '-v', 'error', '-y', '-i', fx.h264, ...args, out]);
  return out;
}

describe('kindByExtension', () => {
  it.each([
    ['a.MP4', 'video'],
    ['执法 记录 01.mts', 'video'],
    ['x.m2ts', 'video'],
    ['voice.AMR', 'audio'],
    ['memo.opus', 'audio'],
    ['IMG_0001.HEIC', 'photo'],
    ['raw.dng', 'photo'],
    ['notes.txt', null],
    ['noext', null],
    ['dir.mp4/readme', null],
  ])('%s → %s', (name, kind) => {
    expect(kindByExtension(name)).toBe(kind);
  });
});

describe('sniffKind on real files', () => {
  it('recognises the generated fixtures', async () => {
    const expected: [string, string | null][] = [
      [fx.h264, 'video'],
      [fx.hevc, 'video'],
      [fx.mjpeg, 'video'],
      [fx.vp8, 'video'],
      [fx.located, 'video'],
      [fx.audio, 'audio'],
      [fx.photoGps, 'photo'],
      [fx.photoPng, 'photo'],
      [fx.truncatedJpeg, 'photo'],
      [fx.truncated, 'video'],
      [fx.zero, null],
      [fx.garbage, null],
      [fx.notes, null],
    ];
    for (const [file, kind] of expected) expect([file, sniffKind(await readFileHead(file))]).toEqual([file, kind]);
  });

  it('recognises MPEG-TS, M2TS, MP3, WAV and Matroska made by ffmpeg', async () => {
    expect(sniffKind(await readFileHead(await convert('a.ts', ['-c', 'copy', '-f', 'mpegts'])))).toBe('video');
    const m2ts = await convert('a.m2ts', ['-c', 'copy', '-f', 'mpegts', '-mpegts_m2ts_mode', '1']);
    expect(sniffKind(await readFileHead(m2ts))).toBe('video');
    // MP3 is only read, never written, by the station: the built pair has no MP3 encoder.
    const mp3 = await convert('a.mp3', ['-vn', '-c:a', 'libmp3lame'], locateNpmFfmpeg());
    expect(sniffKind(await readFileHead(mp3))).toBe('audio');
    const bareArgs = ['-vn', '-c:a', 'libmp3lame', '-write_xing', '0', '-id3v2_version', '0'];
    const bareMp3 = await convert('b.mp3', bareArgs, locateNpmFfmpeg());
    expect(sniffKind(await readFileHead(bareMp3))).toBe('audio');
    expect(sniffKind(await readFileHead(await convert('a.wav', ['-vn'])))).toBe('audio');
    expect(sniffKind(await readFileHead(await convert('a.mkv', ['-c', 'copy'])))).toBe('video');
  });
});

describe('sniffKind on hand-made heads', () => {
  const bytes = (...parts: (string | number[])[]) =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

  it('tells HEIC photos and M4A audio from MP4 video by the ftyp brand', () => {
    expect(sniffKind(bytes([0, 0, 0, 24], 'ftypheic'))).toBe('photo');
    expect(sniffKind(bytes([0, 0, 0, 24], 'ftypmif1'))).toBe('photo');
    expect(sniffKind(bytes([0, 0, 0, 24], 'ftypM4A '))).toBe('audio');
    expect(sniffKind(bytes([0, 0, 0, 20], 'ftypqt  '))).toBe('video');
  });

  it('reads RIFF forms, TIFF, ID3, ADTS, ASF and an old QuickTime without ftyp', () => {
    expect(sniffKind(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toBe('photo');
    expect(sniffKind(bytes('RIFF', [0, 0, 0, 0], 'CDXA'))).toBeNull();
    expect(sniffKind(bytes('II*', [0]))).toBe('photo');
    expect(sniffKind(bytes('ID3', [4, 0]))).toBe('audio');
    expect(sniffKind(bytes([0xff, 0xf1, 0x50, 0x80]))).toBe('audio');
    expect(sniffKind(bytes([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11]))).toBe('video');
    expect(sniffKind(bytes([0, 0, 0, 8], 'wide'))).toBe('video');
  });

  it('does not take one stray 0x47 for a transport stream', () => {
    expect(sniffKind(bytes('Good morning, this is a text file.'))).toBeNull();
    expect(sniffKind(new Uint8Array())).toBeNull();
  });
});
