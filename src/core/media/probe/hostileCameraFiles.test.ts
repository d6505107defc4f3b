import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import piexif from 'piexifjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaInfo } from '../../../shared/schemas';
import {
  appendUdtaToMoov,
  box,
  gpmfNested,
  gpmfString,
  writeAvchdWithMdpm,
} from '../../../../test/fixtures/cameraMetadata';
import { makeTempDir, removeTree } from '../../../../test/engine/harness';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { runProcess } from '../tools/runProcess';
import { DEFAULT_FILE_NAME_PATTERNS } from './fileNamePatterns';
import { probeMedia, type ProbeResult } from './probeMedia';
import { MAX_IDENTITY_CHARS } from './identityText';

/**
 * Camera files a hostile sender (or a broken camera) could hand the station: boxes whose sizes lie,
 * nesting without end, identity text carrying terminal escapes, bidirectional overrides or 100 KB,
 * an AVCHD clock in a zone no place on earth keeps, and a file cut short at every box boundary.
 * Each must give one clear outcome for that file, quickly, and nothing that disguises itself.
 */

const CST = 480;
let tools: MediaTools;
let dir: string;
let plain: Buffer;
const file = (name: string) => path.join(dir, name);
const ffmpeg = async (args: string[]) => {
  await runProcess(tools.ffmpeg.path, ['-v', 'error', '-y', ...args], { timeoutMs: 120_000 });
};
const VIDEO = [
  ...['-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10:duration=1'],
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
];

/** Nothing a terminal or a bidi-aware renderer would act on: C0, DEL, C1, bidi and zero-width marks. */
// eslint-disable-next-line no-control-regex
const DISGUISING = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/u;

beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await makeTempDir('hostile-camera-files');
  await ffmpeg([...VIDEO, '-f', 'mov', file('plain.mp4')]);
  plain = await readFile(file('plain.mp4'));
}, 120_000);

afterAll(async () => {
  await removeTree(dir);
});

async function probe(name: string): Promise<ProbeResult> {
  return probeMedia(tools, file(name), {
    fileName: name,
    modifiedAt: new Date('2026-12-01T00:00:00Z'),
    patterns: DEFAULT_FILE_NAME_PATTERNS,
    stationOffsetMinutes: CST,
  });
}

function header(size: number, type: string): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt32BE(size >>> 0, 0);
  bytes.write(type, 4, 'latin1');
  return bytes;
}

describe('boxes that lie about their size', () => {
  it('a box claiming 4 GB in a 1 KB file, a "negative" size and a 64-bit size past the end are refused files', async () => {
    const large64 = Buffer.alloc(16);
    large64.writeUInt32BE(1, 0);
    large64.write('moov', 4, 'latin1');
    large64.writeBigUInt64BE(0xffff_ffff_ffff_ffffn, 8);
    const files: Record<string, Buffer> = {
      'claims4g.mp4': Buffer.concat([header(0xffff_ffff, 'ftyp'), Buffer.alloc(1000)]),
      'negative.mp4': Buffer.concat([plain.subarray(0, 32), header(0x8000_0000, 'moov'), Buffer.alloc(1000)]),
      'size64.mp4': Buffer.concat([plain.subarray(0, 32), large64, Buffer.alloc(100)]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      await writeFile(file(name), bytes);
      const result = await probe(name);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.reason, name).toMatch(/ffprobe|no decodable/);
    }
  });

  it('boxes nested 10,000 deep are a refused file, not a stack overflow', async () => {
    let nested: Buffer = Buffer.alloc(0);
    for (let i = 0; i < 10_000; i++) nested = box(i % 2 === 0 ? 'moov' : 'udta', nested);
    await writeFile(file('deep.mp4'), Buffer.concat([plain.subarray(0, 32), nested]));
    const result = await probe('deep.mp4');
    expect(result.ok).toBe(false);
  });

  it('a file cut at every top-level box boundary gives an outcome for each cut', async () => {
    const cuts: number[] = [];
    for (let offset = 0; offset + 8 <= plain.length; offset += plain.readUInt32BE(offset)) {
      cuts.push(offset + 8, offset + plain.readUInt32BE(offset) - 1);
      if (plain.readUInt32BE(offset) < 8) break;
    }
    for (const cut of cuts) {
      await writeFile(file(`cut${cut}.mp4`), plain.subarray(0, cut));
      const result = await probe(`cut${cut}.mp4`);
      const info = result.ok ? result.info : result.partial;
      expect(() => MediaInfo.parse(info), `cut at ${cut}`).not.toThrow();
    }
  });
});

describe('identity text a camera file carries', () => {
  it('escapes control characters and bidirectional overrides in make and model, and bounds their length', async () => {
    await ffmpeg([
      ...['-i', file('plain.mp4'), '-c', 'copy', '-movflags', 'use_metadata_tags'],
      ...['-metadata', 'com.apple.quicktime.make=Evil\u202Egpj.exe\u001b[31mRED\u0007'],
      ...['-metadata', `com.apple.quicktime.model=${'M'.repeat(100_000)}`],
      ...['-metadata', 'com.apple.quicktime.software=17\u200b.1'],
      file('escapes.mov'),
    ]);
    const result = await probe('escapes.mov');
    expect(result.ok).toBe(true);
    const info = result.ok ? result.info : result.partial;
    for (const key of ['make', 'model', 'firmware'] as const) {
      expect(info[key], key).toBeDefined();
      expect(info[key], key).not.toMatch(DISGUISING);
    }
    expect(info.make).toBe('Evil[U+202E]gpj.exe[U+001B][31mRED[U+0007]');
    expect(info.firmware).toBe('17[U+200B].1');
    expect([...(info.model ?? '')].length).toBeLessThanOrEqual(MAX_IDENTITY_CHARS);
    expect(info.model).toMatch(/^M+…$/);
  });

  it("escapes a GoPro FIRM box's terminal escape, as ffprobe reports it, and ignores garbage GPMF", async () => {
    await copyFile(file('plain.mp4'), file('GX019999.MP4'));
    await appendUdtaToMoov(file('GX019999.MP4'), [
      box('FIRM', Buffer.from('HD9\u001b[2J\u0007', 'latin1')),
      box('GPMF', gpmfNested('DEVC', [gpmfString('CASN', 'C3\u0007\u001b'), gpmfString('MINF', 'A'.repeat(5000))])),
      box('GPMF', Buffer.alloc(5000, 0xff)),
    ]);
    const result = await probe('GX019999.MP4');
    expect(result.ok).toBe(true);
    const info = result.ok ? result.info : result.partial;
    expect(info.firmware).toBe('HD9[U+001B][2J[U+0007]');
    // The GPMF strings are not printable text: left out rather than shown.
    expect(info.serial).toBeUndefined();
    expect(info.model).toBeUndefined();
  });
});

/** EXIF's Make and Model tags (TIFF 6.0). */
const MAKE = 271;
const MODEL = 272;

describe('identity text a photo carries', () => {
  it('escapes control characters in EXIF make and model and bounds their length', async () => {
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1', file('plain.jpg')]);
    const jpeg = (await readFile(file('plain.jpg'))).toString('latin1');
    const exif = piexif.dump({
      '0th': { [MAKE]: 'Cam\u001b[2J\u0007', [MODEL]: 'X'.repeat(5000) },
    });
    await writeFile(file('IMG_9999.JPG'), Buffer.from(piexif.insert(exif, jpeg), 'latin1'));
    const result = await probe('IMG_9999.JPG');
    const info = result.ok ? result.info : result.partial;
    expect(info.make).toBe('Cam[U+001B][2J[U+0007]');
    expect(info.model).toMatch(/^X+…$/);
    expect([...(info.model ?? '')].length).toBe(MAX_IDENTITY_CHARS);
  });
});

describe("an AVCHD stream's clock", () => {
  it('a zone beyond ±14 hours is no zone: the time is kept and its offset marked unknown', async () => {
    await writeAvchdWithMdpm(ffmpeg, file('00099.MTS'), {
      local: '2026-03-01T09:30:15',
      offsetMinutes: -(15 * 60 + 30),
      makeCode: 0x1011,
    });
    const result = await probe('00099.MTS');
    expect(result.ok).toBe(true);
    const info = result.ok ? result.info : result.partial;
    expect(info).toMatchObject({
      recordedAt: '2026-03-01T09:30:15+08:00',
      recordedAtSource: 'container',
      offsetKnown: false,
      make: 'Canon',
    });
  });

  it('month 13 and year 0 are no recording time: the file system time is used and the make still read', async () => {
    for (const [name, local] of [
      ['00100.MTS', '2026-13-01T09:30:15'],
      ['00101.MTS', '0000-03-01T09:30:15'],
    ] as const) {
      await writeAvchdWithMdpm(ffmpeg, file(name), { local, offsetMinutes: 480, makeCode: 0x1011 });
      const result = await probe(name);
      const info = result.ok ? result.info : result.partial;
      expect(info, name).toMatchObject({ recordedAtSource: 'filesystem', make: 'Canon' });
    }
  });
});
