import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { createTileReader, makeFilmstrip, readFilmstripIndexFile } from './filmstrip';
import { findMainVideo, probeSource, readVideoPackets } from '../probe/packets';
import { ProcessAbortedError, runProcess } from '../tools/runProcess';

const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'filmstrip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const out = (name: string) => path.join(dir, name);
const leftovers = async () => (await readdir(dir)).filter((name) => name.endsWith('.tmp'));
const sha256 = async (file: string) =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
const sizeOf = async (file: string) => {
  const video = findMainVideo(await probeSource(tools, file));
  return { width: video?.width, height: video?.height };
};

describe('makeFilmstrip', () => {
  it('makes one 160 px tile per keyframe, with the time of each, in a folder of sheets and an index', async () => {
    const progress: number[] = [];
    const made = await makeFilmstrip(tools, fx.review, out('review'), { onProgress: (f) => progress.push(f) });
    // The review fixture has a keyframe at every whole second.
    expect(made.index).toEqual({
      tileWidth: 160,
      tileHeight: 120,
      columns: 10,
      rows: 10,
      sheets: 1,
      timesSec: [0, 1, 2, 3, 4, 5],
    });
    expect((await readdir(out('review'))).sort()).toEqual(['000.jpg', 'index.json']);
    // A sheet is the whole 10 x 10 grid, even when partly empty.
    expect(await sizeOf(path.join(out('review'), '000.jpg'))).toEqual({ width: 1600, height: 1200 });
    expect(made.sheets).toEqual([{ file: '000.jpg', sha256: await sha256(path.join(out('review'), '000.jpg')) }]);
    expect(await readFilmstripIndexFile(out('review'))).toEqual({
      version: 2,
      ...made.index,
      sheetFiles: ['000.jpg'],
      sheetSha256: [made.sheets[0]?.sha256],
    });
    expect(made.args).toEqual(expect.arrayContaining(['-skip_frame', 'nokey']));
    expect(made.args.at(-1)).toBe(path.join(out('review'), '%03d.jpg'));
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(await leftovers()).toEqual([]);
  });

  it('lists exactly the keyframes the packet list shows, across several sheets', async () => {
    // Every MJPEG frame is a keyframe: 150 tiles, a full sheet and half of a second one.
    const src = out('intra.avi');
    await runProcess(tools.ffmpeg.path, ['-v', 'error', '-i', fx.review, '-c:v', 'mjpeg', '-q:v', '5', '-an', src]);
    const made = await makeFilmstrip(tools, src, out('intra'));
    expect(made.index).toMatchObject({ sheets: 2, tileWidth: 160, tileHeight: 120 });
    expect(made.index.timesSec).toHaveLength(150);
    expect(made.index.timesSec.slice(98, 102)).toEqual([3.92, 3.96, 4, 4.04]);
    expect((await readdir(out('intra'))).sort()).toEqual(['000.jpg', '001.jpg', 'index.json']);

    const source = await probeSource(tools, fx.review);
    const video = findMainVideo(source);
    const packets = await readVideoPackets(tools, fx.review, source, video?.index ?? 0, { fromSec: null, toSec: null });
    const keyframes = packets.filter((p) => p.isKeyframe).map((p) => ((p.pts ?? 0) * 1) / 12800);
    const strip = await makeFilmstrip(tools, fx.review, out('review-again'));
    expect(strip.index.timesSec).toEqual(keyframes);
  });

  it('turns a rotated recording upright', async () => {
    const made = await makeFilmstrip(tools, fx.rotated, out('rotated'));
    // Stored 320x240, shown 240x320: tiles 160 wide keep the upright shape.
    expect(made.index).toMatchObject({ tileWidth: 160, tileHeight: 214, timesSec: [0, 1, 2] });
  });

  it('replaces an older filmstrip as a whole, and a cancelled run leaves the old one untouched', async () => {
    const target = out('replaced');
    await mkdir(target);
    await writeFile(path.join(target, 'stale.jpg'), 'old');
    // What a killed run leaves: its temp folder, removed by the next run.
    await mkdir(out('.replaced.0123456789ab.tmp'));
    await writeFile(path.join(out('.replaced.0123456789ab.tmp'), '000.jpg'), 'half');
    await makeFilmstrip(tools, fx.h264, target);
    expect((await readdir(target)).sort()).toEqual(['000.jpg', 'index.json']);

    const before = await readFile(path.join(target, 'index.json'), 'utf8');
    const controller = new AbortController();
    controller.abort();
    await expect(makeFilmstrip(tools, fx.review, target, { signal: controller.signal })).rejects.toBeInstanceOf(
      ProcessAbortedError,
    );
    expect(await readFile(path.join(target, 'index.json'), 'utf8')).toBe(before);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a file without video', async () => {
    await expect(makeFilmstrip(tools, fx.audio, out('audio'))).rejects.toThrow(/no video stream/);
  });
});

describe('createTileReader', () => {
  it('reads tile times and size from showinfo lines as ffmpeg 4.1 prints them', () => {
    const progress: number[] = [];
    const reader = createTileReader(6, (f) => progress.push(f));
    for (const line of [
      '[Parsed_showinfo_2 @ 0x19b57340] config in time_base: 1/12800, frame_rate: 25/1',
      '[Parsed_showinfo_2 @ 0x19b57340] config out time_base: 0/0, frame_rate: 0/0',
      '[Parsed_showinfo_2 @ 0x19b57340] n:   0 pts:      0 pts_time:0       pos:       48 fmt:yuvj420p sar:1/1 s:160x120 i:P iskey:1 type:I checksum:FDC8F94B plane_checksum:[CB0C880D D2F962E9 4FC20E55] mean:[128 128 124 ] stdev:[82.0 79.4 79.5 ]',
      '[Parsed_showinfo_2 @ 0x19b57340] color_range:pc color_space:unknown color_primaries:unknown color_trc:unknown',
      '[Parsed_showinfo_2 @ 0x19b57340] n:   1 pts:  38400 pts_time:3       pos:    23214 fmt:yuvj420p sar:1/1 s:160x120 i:P iskey:1 type:I checksum:0506727B',
      'frame=    1 fps=0.0 q=5.0 Lsize=N/A time=00:00:04.00 bitrate=N/A speed=  29x',
    ])
      reader.onLine(line);
    expect(reader.result()).toEqual({ timesSec: [0, 3], size: { width: 160, height: 120 } });
    expect(progress).toEqual([0.5]);
  });
});
