import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHeic, type HeicOptions } from '../../../../test/fixtures/heif';
import { DEFAULT_FILE_NAME_PATTERNS } from '../probe/fileNamePatterns';
import { parseFfprobe, runFfprobe } from '../probe/ffprobe';
import { probeMedia } from '../probe/probeMedia';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { ProcessAbortedError, runProcess } from '../tools/runProcess';
import { DeriveError } from './deriveError';
import { MAX_HEIF_PIXELS, readHeifSize } from './heifDecoder';
import { makeHeifStill } from './heifStill';

/**
 * HEIC photos end to end on real files: an iPhone-shaped HEIC (4032×3024 as a grid of 512×512
 * HEVC tiles, with EXIF) written by `test/fixtures/heif.ts`, read by the station and by exiftool,
 * which is the independent oracle for size and EXIF here.
 */

let tools: MediaTools;
let dir: string;
let iphone: string;
let huge: string;
const out = (name: string) => path.join(dir, name);
const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));

const EXIF: HeicOptions['exif'] = {
  '0th': { 271: 'Apple', 272: 'iPhone 15 Pro' },
  Exif: { 36867: '2026:03:01 09:30:00', 36881: '+08:00' },
  GPS: {
    1: 'N',
    2: [
      [31, 1],
      [13, 1],
      [4944, 100],
    ],
    3: 'E',
    4: [
      [121, 1],
      [28, 1],
      [2532, 100],
    ],
  },
};

beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'heif-'));
  iphone = out('IMG_0001.HEIC');
  huge = out('huge.heic');
  await writeHeic(iphone, { width: 4032, height: 3024, exif: EXIF });
  // 10240×6144 = 62.9 MP, above the limit, in a few kilobytes: every tile is the same coded tile.
  await writeHeic(huge, { width: 10240, height: 6144, reuseTileFor: true });
}, 300_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function exiftool(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await runProcess('exiftool', ['-json', '-n', file], { timeoutMs: 60_000, collectStdout: true });
  return (JSON.parse(stdout) as Record<string, unknown>[])[0] ?? {};
}

describe('HEIC probe', () => {
  it('reads the full image size (not a tile’s) and the EXIF, as exiftool does', async () => {
    const oracle = await exiftool(iphone);
    expect(oracle).toMatchObject({ FileType: 'HEIC', ImageWidth: 4032, ImageHeight: 3024 });

    const result = await probeMedia(tools, iphone, {
      fileName: 'IMG_0001.HEIC',
      modifiedAt: new Date('2026-03-02T04:00:00Z'),
      patterns: DEFAULT_FILE_NAME_PATTERNS,
      stationOffsetMinutes: 480,
    });
    if (!result.ok) throw new Error(result.reason);
    const { info } = result;
    expect(info).toMatchObject({
      kind: 'photo',
      container: 'heif',
      mimeType: 'image/heif',
      browserPlayable: false,
      width: oracle.ImageWidth,
      height: oracle.ImageHeight,
      make: oracle.Make,
      model: oracle.Model,
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'exif',
      offsetKnown: true,
    });
    expect(info.gps?.lat).toBeCloseTo(oracle.GPSLatitude as number, 6);
    expect(info.gps?.lon).toBeCloseTo(oracle.GPSLongitude as number, 6);
  }, 120_000);

  it('calls a file with a HEIC signature that libheif cannot read undecodable, with its words', async () => {
    const bad = out('bad.heic');
    const head = Buffer.from('0000001866747970686569630000000068656963', 'hex');
    await writeFile(bad, Buffer.concat([head, Buffer.alloc(64, 7)]));
    const result = await probeMedia(tools, bad, {
      fileName: 'bad.heic',
      modifiedAt: null,
      patterns: [],
      stationOffsetMinutes: 0,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^HEIF: .+/);
  }, 60_000);
});

describe('HEIC stills', () => {
  it('makes a 320 px thumbnail and a full-size JPEG preview, leaving the original as it was', async () => {
    const before = await stat(iphone);
    const thumb = await makeHeifStill(tools, iphone, out('thumbnail.jpg'), { size: 'thumbnail' });
    expect(thumb).toMatchObject({ width: 4032, height: 3024, tool: 'ffmpeg', toolVersion: tools.ffmpeg.version });
    expect(thumb.decoder).toMatchObject({ name: 'libheif-js' });
    expect(thumb.decoder.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(thumb.decoder.libheif).toMatch(/^\d+\.\d+\.\d+/);
    expect(parseFfprobe(await runFfprobe(tools, thumb.path))).toMatchObject({
      videoCodec: 'mjpeg',
      width: 320,
      height: 240,
    });

    const preview = await makeHeifStill(tools, iphone, out('preview.jpg'), { size: 'full' });
    const oracle = await exiftool(preview.path);
    expect(oracle).toMatchObject({ FileType: 'JPEG', ImageWidth: 4032, ImageHeight: 3024 });
    expect(await stat(iphone)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
    expect(await leftovers()).toEqual([]);
  }, 180_000);

  it('refuses, in a code with the size and the limit, a photo above the pixel limit, before decoding it', async () => {
    expect(await readHeifSize(huge)).toMatchObject({ width: 10240, height: 6144 });
    expect(10240 * 6144).toBeGreaterThan(MAX_HEIF_PIXELS);
    const error = await makeHeifStill(tools, huge, out('huge.jpg'), { size: 'thumbnail' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeriveError);
    expect(error).toMatchObject({
      problem: 'heifTooLarge',
      params: { width: 10240, height: 6144, megapixels: 62.9, limit: 50 },
    });
    expect((await readdir(dir)).filter((n) => n.startsWith('huge.jpg') || n.includes('huge.jpg'))).toEqual([]);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it('stops when cancelled, as a process abort, leaving nothing behind', async () => {
    const controller = new AbortController();
    const made = makeHeifStill(tools, iphone, out('cancelled.jpg'), { size: 'full', signal: controller.signal });
    controller.abort();
    await expect(made).rejects.toBeInstanceOf(ProcessAbortedError);
    expect(await leftovers()).toEqual([]);
  }, 60_000);
});
