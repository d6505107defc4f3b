import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHeic } from '../../../../test/fixtures/heif';
import { makeTempDir, removeTree } from '../../../../test/engine/harness';
import { DEFAULT_FILE_NAME_PATTERNS } from '../probe/fileNamePatterns';
import { probeMedia, type ProbeResult } from '../probe/probeMedia';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { runProcess } from '../tools/runProcess';
import { DeriveError } from './deriveError';
import { decodeHeifToRgba, libheifComplaint, MAX_HEIF_PIXELS, readHeifSize } from './heifDecoder';

/**
 * HEIC files a hostile sender could hand the station: empty, cut short, a JPEG renamed `.heic`,
 * and one that claims 65535×65535 pixels (4.3 gigapixels, 17 GB of RGBA) in a few kilobytes.
 * Each gives a reason a reviewer can read, and the claimed giant is refused before decoding.
 */

let tools: MediaTools;
let dir: string;
let tile: Buffer;
const file = (name: string) => path.join(dir, name);

beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await makeTempDir('heif-hostile');
  await writeHeic(file('one.heic'), { width: 512, height: 512 });
  tile = await readFile(file('one.heic'));
}, 120_000);

afterAll(async () => {
  await removeTree(dir);
});

async function probe(name: string): Promise<ProbeResult> {
  return probeMedia(tools, file(name), {
    fileName: name,
    modifiedAt: new Date('2026-12-01T00:00:00Z'),
    patterns: DEFAULT_FILE_NAME_PATTERNS,
    stationOffsetMinutes: 480,
  });
}

async function deriveErrorOf(work: Promise<unknown>): Promise<DeriveError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof DeriveError)) throw new Error(`expected a DeriveError, got ${String(error)}`);
  return error;
}

describe('HEIC files that are not what they claim', () => {
  it("a HEIC cut inside its picture data is undecodable with libheif's reason, not a closing brace", async () => {
    await writeFile(file('cut.heic'), tile.subarray(0, tile.length - 100));
    const error = await deriveErrorOf(readHeifSize(file('cut.heic')));
    expect(error.problem).toBe('heifUndecodable');
    expect(error.detail).toMatch(/outside of file bounds/);
    const result = await probe('cut.heic');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^HEIF: .*outside of file bounds/);
  }, 60_000);

  it('an empty .heic is an empty file, and a JPEG renamed .heic is read as the JPEG it is', async () => {
    await writeFile(file('empty.heic'), Buffer.alloc(0));
    const empty = await probe('empty.heic');
    expect(empty.ok ? null : empty.reason).toBe('empty file');

    await runProcess(
      tools.ffmpeg.path,
      [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=64x48',
        '-frames:v',
        '1',
        '-f',
        'mjpeg',
        file('photo.heic'),
      ],
      { timeoutMs: 60_000 },
    );
    const jpeg = await probe('photo.heic');
    expect(jpeg.ok).toBe(true);
    if (jpeg.ok) expect(jpeg.info).toMatchObject({ container: 'jpeg', width: 64, height: 48 });
  }, 60_000);

  it('a HEIC claiming 65535×65535 pixels is refused before decoding, with its size and the limit', async () => {
    // One real 512×512 tile; the grid item and its `ispe` property say the picture is 65535 square.
    const bomb = Buffer.from(tile);
    const ispes = [...bomb.toString('latin1').matchAll(/ispe/g)].map((m) => m.index);
    const gridIspe = ispes[1];
    const grid = bomb.lastIndexOf(Buffer.from([0, 0, 0, 0, 0x02, 0x00, 0x02, 0x00]));
    if (gridIspe === undefined || grid < 0) throw new Error('the fixture no longer has the expected grid layout');
    bomb.writeUInt32BE(65535, gridIspe + 8);
    bomb.writeUInt32BE(65535, gridIspe + 12);
    bomb.writeUInt16BE(65535, grid + 4);
    bomb.writeUInt16BE(65535, grid + 6);
    await writeFile(file('bomb.heic'), bomb);

    expect(await readHeifSize(file('bomb.heic'))).toMatchObject({ width: 65535, height: 65535 });
    const error = await deriveErrorOf(decodeHeifToRgba(file('bomb.heic'), file('bomb.rgba')));
    expect(error.problem).toBe('heifTooLarge');
    expect(error.params).toMatchObject({ width: 65535, height: 65535, limit: MAX_HEIF_PIXELS / 1e6 });
  }, 60_000);

  it("a grid of 14,400 tiles is refused by libheif's own limit, with that reason", async () => {
    await writeHeic(file('tiles.heic'), { width: 512 * 120, height: 512 * 120, reuseTileFor: true });
    const error = await deriveErrorOf(readHeifSize(file('tiles.heic')));
    expect(error.problem).toBe('heifUndecodable');
    expect(error.detail).toMatch(/Security limit exceeded/);
    const result = await probe('tiles.heic');
    expect(result.ok ? null : result.reason).toMatch(/^HEIF: .*Security limit exceeded/);
  }, 60_000);
});

describe('libheifComplaint', () => {
  it('takes the message out of an error libheif-js printed as an object, and words over punctuation', () => {
    const printed = [
      'Could not get image data for id 3 {',
      '  code: l {},',
      "  message: 'Invalid input: Unexpected end of file: Extent in iloc box references data outside of file bounds\\n'",
      '}',
      '',
    ].join('\n');
    expect(libheifComplaint(printed)).toBe(
      'Invalid input: Unexpected end of file: Extent in iloc box references data outside of file bounds',
    );
    expect(libheifComplaint('Could not parse HEIF file\n}\n')).toBe('Could not parse HEIF file');
    expect(libheifComplaint('}\n')).toBe('');
  });
});
