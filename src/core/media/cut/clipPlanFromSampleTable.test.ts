import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../engineApi';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { runProcess } from '../tools/runProcess';
import { findMainVideo, probeSource, readVideoPackets, type SourceInfo } from '../probe/packets';
import { allPackets, readMp4VideoPackets, videoPacketsFromMoov } from '../probe/mp4VideoPackets';
import { computeClipPlan, planClip } from './clipPlan';
import {
  childOf,
  editMoov,
  fullBox,
  sampleLayout,
  serializeBoxes,
  setChunkOffsets,
  setTable,
  stblOf,
  tableEntries,
  tablePayload,
  uint32s,
  videoTrakOf,
  type Box,
} from '../../../../test/support/mp4Boxes';

// The sample-table planner must give exactly the plan ffprobe's packet list gives, or step aside.
// Each recording below is made by the real ffmpeg with one of the structures cameras and editors
// write (edit lists that hide frames, empty edits, negative composition offsets, no edit list,
// B-frames, HEVC, QuickTime with the video second and a timecode track, variable frame rate, one
// reference frame); every packet is compared with ffprobe's, then plans of many ranges.

let tools: MediaTools;
let dir: string;
let hasX265 = false;
const made = new Map<string, string>();

const ffmpeg = (args: string[]) =>
  runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 120_000 });
const testsrc = (rate = '30') => ['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=${rate}`];
const tone = ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];

/** name → ffmpeg arguments (the output file is appended); later ones may read earlier ones. */
const RECORDINGS: Record<string, (file: (name: string) => string) => string[]> = {
  'bframes.mp4': () => [...testsrc(), ...tone, '-t', '6', '-c:v', 'libx264', '-g', '30', '-bf', '3', '-c:a', 'aac'],
  'noedit.mp4': (f) => ['-i', f('bframes.mp4'), '-c', 'copy', '-use_editlist', '0'],
  'negcts.mp4': (f) => [
    '-i',
    f('bframes.mp4'),
    '-c',
    'copy',
    '-movflags',
    'negative_cts_offsets',
    '-use_editlist',
    '0',
  ],
  // Seeking the input with a stream copy: the edit list hides the frames before 2.5 s.
  'inputss.mp4': (f) => ['-ss', '2.5', '-i', f('bframes.mp4'), '-t', '3', '-c', 'copy'],
  // An empty edit first: the video starts 0.5 s into the presentation.
  'offset.mov': (f) => ['-itsoffset', '0.5', '-i', f('bframes.mp4'), '-map', '0:v', '-c', 'copy'],
  'nob.mov': () => [...testsrc(), '-t', '5', '-c:v', 'libx264', '-bf', '0', '-g', '15'],
  'audiofirst.mov': () => [
    ...tone,
    ...testsrc('30000/1001'),
    ...['-t', '5', '-map', '0:a', '-map', '1:v', '-c:v', 'libx264', '-timecode', '01:00:00:00'],
  ],
  'ref1.mp4': () => [
    ...testsrc(),
    ...['-t', '6', '-c:v', 'libx264', '-x264-params', 'ref=1:bframes=0:keyint=60:min-keyint=10'],
    ...['-force_key_frames', 'expr:gte(t,n_forced*1.3)'],
  ],
  'vfr.mp4': () => [
    ...['-f', 'lavfi', '-i', "testsrc2=size=320x240:rate=30,select='not(mod(n\\,7))+gt(n\\,60)',setpts=N/30/TB"],
    ...['-t', '6', '-fps_mode', 'vfr', '-c:v', 'libx264', '-g', '20'],
  ],
  'opengop.mp4': () => [...testsrc(), '-t', '6', '-c:v', 'libx264', '-x264-params', 'open-gop=1:keyint=30:bframes=3'],
  'fragmented.mp4': (f) => ['-i', f('bframes.mp4'), '-c', 'copy', '-movflags', 'frag_keyframe+empty_moov'],
  'hevc.mp4': () => [
    ...testsrc(),
    ...['-t', '5', '-c:v', 'libx265', '-x265-params', 'log-level=none:bframes=4:keyint=20', '-tag:v', 'hvc1'],
  ],
  // Hard cuts every 0.7 s in a stream of one reference frame: x264 codes them as I pictures that
  // are not IDR and not sync samples, which ffmpeg's H.264 parser calls keyframes.
  'scenecut.mp4': () => [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'mandelbrot=size=320x240:rate=25'],
    ...['-filter_complex', "[0][1]overlay=enable='lt(mod(t,1.4),0.7)'", '-t', '8', '-c:v', 'libx264'],
    ...['-x264-params', 'ref=1:bframes=0:keyint=250:min-keyint=250:scenecut=40'],
  ],
  // One frame a second with B-frames: a frame shown after the out point can be decoded well after it.
  'lowfps.mp4': () => [
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=1', '-t', '40', '-c:v', 'libx265'],
    ...['-x265-params', 'log-level=none:bframes=3:keyint=8', '-tag:v', 'hvc1'],
  ],
};
const IN_PROCESS = [
  'bframes.mp4',
  'noedit.mp4',
  'negcts.mp4',
  'inputss.mp4',
  'offset.mov',
  'nob.mov',
  'audiofirst.mov',
  'ref1.mp4',
  'vfr.mp4',
  'hevc.mp4',
];

beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'sample-table-'));
  const encoders = await runProcess(tools.ffmpeg.path, ['-hide_banner', '-encoders'], { collectStdout: true });
  hasX265 = /\blibx265\b/.test(encoders.stdout);
  for (const [name, args] of Object.entries(RECORDINGS)) {
    if ((name === 'hevc.mp4' || name === 'lowfps.mp4') && !hasX265) continue;
    const file = path.join(dir, name);
    await ffmpeg([...args((n) => path.join(dir, n)), file]);
    made.set(name, file);
  }
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fileOf = (name: string) => {
  const file = made.get(name);
  if (!file) throw new Error(`${name} was not made`);
  return file;
};

function recordingLog() {
  const lines: { message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = {
    info: (message, fields) => lines.push({ message, fields }),
    warn: (message, fields) => lines.push({ message, fields }),
    error: (message, fields) => lines.push({ message, fields }),
  };
  const fallbacks = () =>
    lines.filter((l) => l.message === 'clip plan: asking ffprobe').map((l) => String(l.fields?.reason));
  return { log, fallbacks };
}

async function videoOf(file: string) {
  const source = await probeSource(tools, file);
  const video = findMainVideo(source);
  if (!video) throw new Error('no video');
  return { source, video };
}

/**
 * Plans each range (fractions of the recording) in both modes on the sample table and with ffprobe,
 * expects the same plan (or the same refusal), and returns why the planner asked ffprobe, if it did.
 */
async function expectPlansAsFfprobe(file: string, ranges: [number, number][]): Promise<string[]> {
  const { source } = await videoOf(file);
  const duration = source.durationSec ?? 0;
  const reasons: string[] = [];
  for (const [from, to] of ranges)
    for (const mode of ['lossless', 'exact'] as const) {
      const request = { fromSec: round3(from * duration), toSec: round3(to * duration), mode };
      const { log, fallbacks } = recordingLog();
      const fromTable = await settle(planClip(tools, file, request, { source, log }));
      reasons.push(...fallbacks());
      expect(withoutSource(fromTable), `${file} ${JSON.stringify(request)}`).toEqual(
        withoutSource(await settle(planClip(tools, file, request))),
      );
    }
  return reasons;
}

describe('readMp4VideoPackets', () => {
  it.each(IN_PROCESS)('lists the packets of %s exactly as ffprobe does', async (name) => {
    if (name === 'hevc.mp4' && !hasX265) return void expect(hasX265).toBe(false);
    const file = fileOf(name);
    const { source, video } = await videoOf(file);
    const listed = await readVideoPackets(tools, file, source, video.index, { fromSec: null, toSec: null });
    const mine = await readMp4VideoPackets(file, { index: video.index, timeBase: video.timeBase });
    if (!mine.supported) throw new Error(`unsupported: ${mine.reason}`);
    const key = (p: { pts: number | null; dts: number | null; isKeyframe: boolean; isDiscarded: boolean }) =>
      `${p.pts}/${p.dts}/${p.isKeyframe ? 'K' : '_'}${p.isDiscarded ? 'D' : '_'}`;
    expect(allPackets(mine).map(key)).toEqual(listed.map(key));
    expect(listed.length).toBeGreaterThan(40);
  });

  it('covers the structures it claims: hidden frames, an empty edit, negative offsets, a second track', async () => {
    const flags = async (name: string) => {
      const { video } = await videoOf(fileOf(name));
      const read = await readMp4VideoPackets(fileOf(name), { index: video.index, timeBase: video.timeBase });
      if (!read.supported) throw new Error(read.reason);
      return { video, packets: allPackets(read) };
    };
    expect((await flags('inputss.mp4')).packets.filter((p) => p.isDiscarded).length).toBeGreaterThan(5);
    expect((await flags('offset.mov')).packets[0]?.pts).toBeGreaterThan(0);
    expect((await flags('negcts.mp4')).packets[0]?.dts).toBeLessThan(0);
    expect((await flags('audiofirst.mov')).video.index).toBe(1);
  });

  it('steps aside for a fragmented MP4', async () => {
    const { video } = await videoOf(fileOf('fragmented.mp4'));
    const read = await readMp4VideoPackets(fileOf('fragmented.mp4'), { index: video.index, timeBase: video.timeBase });
    expect(read).toEqual({ supported: false, reason: 'fragmented MP4' });
  });

  it('never throws on a damaged sample table, and says why it steps aside', async () => {
    const file = fileOf('bframes.mp4');
    const { video } = await videoOf(file);
    const track = { index: video.index, timeBase: video.timeBase };
    const bytes = await readFile(file);
    const moovAt = bytes.indexOf('moov') - 4;
    const moov = bytes.subarray(moovAt, moovAt + bytes.readUInt32BE(moovAt));
    // Cut short at every length, and every byte of the video track's tables set to 0xff in turn.
    for (let length = 0; length < moov.length; length += 7) {
      const read = videoPacketsFromMoov(Buffer.from(moov.subarray(0, length)), track, bytes.length);
      expect(read.supported).toBe(false);
    }
    const stbl = moov.indexOf('stbl');
    let random = 12345;
    for (let i = 0; i < 400; i++) {
      const damaged = Buffer.from(moov);
      random = (random * 1103515245 + 12345) % 2 ** 31;
      const at = stbl + (random % (damaged.length - stbl));
      damaged[at] = 0xff;
      const read = videoPacketsFromMoov(damaged, track, bytes.length);
      if (!read.supported) expect(read.reason.length).toBeGreaterThan(0);
    }
    // A file that is not there is a reason too, not a throw.
    expect(await readMp4VideoPackets(path.join(dir, 'gone.mp4'), track)).toMatchObject({ supported: false });
  });
});

describe('planClip on the sample table', () => {
  const ranges: [number, number][] = [
    [0.05, 0.3],
    [0.2, 0.6],
    [0.45, 0.7],
    [0.1, 0.75],
    [0.33, 0.34],
  ];
  it.each(IN_PROCESS)('plans ranges of %s as ffprobe does, without asking ffprobe', async (name) => {
    if (name === 'hevc.mp4' && !hasX265) return void expect(hasX265).toBe(false);
    expect(await expectPlansAsFfprobe(fileOf(name), ranges), name).toEqual([]);
  });

  it('asks ffprobe for a fragmented file, a range that reaches the end, and a start on a non-IDR sync sample', async () => {
    const cases: [string, (duration: number) => [number, number], RegExp][] = [
      ['fragmented.mp4', () => [1.2, 2.2], /fragmented/],
      ['bframes.mp4', (d) => [d - 1, d + 5], /reaches the last frame/],
      // x264's open GOP: the I-frame at 1 s is a sync sample with a recovery point, not an IDR.
      ['opengop.mp4', () => [1.5, 2.5], /no IDR picture/],
    ];
    for (const [name, range, reason] of cases) {
      const file = fileOf(name);
      const { source } = await videoOf(file);
      const [fromSec, toSec] = range(source.durationSec ?? 0);
      const request = { fromSec, toSec, mode: 'lossless' as const };
      const { log, fallbacks } = recordingLog();
      const planned = await settle(planClip(tools, file, request, { source, log }));
      expect(fallbacks(), name).toEqual([expect.stringMatching(reason)]);
      expect(withoutSource(planned), name).toEqual(withoutSource(await settle(planClip(tools, file, request))));
    }
  });

  it('gives the same refusal as ffprobe for a range past the end or backwards', async () => {
    const file = fileOf('bframes.mp4');
    const { source } = await videoOf(file);
    for (const request of [
      { fromSec: 30, toSec: 31, mode: 'lossless' as const },
      { fromSec: 3, toSec: 2, mode: 'exact' as const },
    ])
      expect(await settle(planClip(tools, file, request, { source }))).toEqual(
        await settle(planClip(tools, file, request)),
      );
  });

  it('reads a file again once it is another file under the same name', async () => {
    const file = path.join(dir, 'replaced.mp4');
    const request = { fromSec: 1.3, toSec: 2.6, mode: 'lossless' as const };
    // Same track number and time base, other timestamps: one has an edit list, the other none.
    for (const name of ['bframes.mp4', 'noedit.mp4', 'bframes.mp4']) {
      await writeFile(file, await readFile(fileOf(name)));
      const { source } = await videoOf(file);
      const { log, fallbacks } = recordingLog();
      const planned = await settle(planClip(tools, file, request, { source, log }));
      expect(fallbacks(), name).toEqual([]);
      expect(withoutSource(planned), name).toEqual(withoutSource(await settle(planClip(tools, file, request))));
    }
  });

  it('leaves the file as it was', async () => {
    const file = fileOf('inputss.mp4');
    const before = await readFile(file);
    const { source } = await videoOf(file);
    await planClip(tools, file, { fromSec: 0.4, toSec: 1.2, mode: 'lossless' }, { source });
    expect((await readFile(file)).equals(before)).toBe(true);
    // Nor does it hold the file open afterwards (a handle left open keeps a deleted file's blocks).
    const copy = path.join(dir, 'copy.mp4');
    await writeFile(copy, before);
    await planClip(tools, copy, { fromSec: 0.4, toSec: 1.2, mode: 'lossless' }, { source });
    await rm(copy);
    await expect(open(copy)).rejects.toThrow(/ENOENT/);
  });
});

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

async function settle<T>(promise: Promise<T>): Promise<T | { error: string }> {
  return promise.catch((error: unknown) => ({
    error: error instanceof Error ? `${error.name}: ${error.message}` : 'error',
  }));
}

function withoutSource(plan: unknown): unknown {
  if (plan && typeof plan === 'object' && 'source' in plan) {
    const { source, ...rest } = plan as { source: SourceInfo };
    return { ...rest, startSec: source.startSec };
  }
  return plan;
}

describe('tables ffmpeg reads otherwise, and hostile ones', () => {
  const track0 = { index: 0, timeBase: { num: 1, den: 15360 } };

  /** The reader either lists ffprobe's very packets or steps aside; never other packets. */
  async function expectSameOrStepsAside(name: string, bytes: Buffer): Promise<string | null> {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    const { source, video } = await videoOf(file);
    const mine = await readMp4VideoPackets(file, { index: video.index, timeBase: video.timeBase });
    if (!mine.supported) return mine.reason;
    const listed = await readVideoPackets(tools, file, source, video.index, { fromSec: null, toSec: null });
    const key = (p: { pts: number | null; dts: number | null; isDiscarded: boolean }) =>
      `${p.pts}/${p.dts}/${p.isDiscarded ? 'D' : '_'}`;
    expect(allPackets(mine).map(key), name).toEqual(listed.map(key));
    return null;
  }

  const edited = async (edit: (moov: Box) => void) => editMoov(await readFile(fileOf('noedit.mp4')), edit);
  const videoStbl = (moov: Box) => stblOf(videoTrakOf(moov));

  it('steps aside for an empty sample (the H.264 parser drops it)', async () => {
    const bytes = await edited((moov) => {
      const stbl = videoStbl(moov);
      const { sizes, positions } = sampleLayout(stbl);
      // One sample a chunk, so an emptied sample moves no other.
      setChunkOffsets(stbl, positions, false);
      setTable(stbl, 'stsc', tablePayload([[1, 1, 1]]));
      setTable(stbl, 'stsz', fullBox(0, 0, uint32s([0, sizes.length, ...sizes.map((s, i) => (i === 45 ? 0 : s))])));
    });
    expect(await expectSameOrStepsAside('empty-sample.mp4', bytes)).toMatch(/empty/);
  });

  it('steps aside for an stts entry of no samples before the last sample', async () => {
    const bytes = await edited((moov) => {
      const stbl = videoStbl(moov);
      setTable(stbl, 'stts', tablePayload([[0, 777], ...tableEntries(childOf(stbl, 'stts'), 2)]));
    });
    expect(await expectSameOrStepsAside('zero-count-stts.mp4', bytes)).toMatch(/no samples/);
  });

  it('steps aside for a table in a udta of the track (ffmpeg reads it there too)', async () => {
    const bytes = await edited((moov) => {
      const trak = videoTrakOf(moov);
      const stts = childOf(videoStbl(moov), 'stts');
      const doubled = tableEntries(stts, 2).map(([count, delta]) => [count ?? 0, (delta ?? 0) * 2]);
      trak.children = [
        ...(trak.children ?? []),
        { type: 'udta', payload: serializeBoxes([{ type: 'stts', payload: tablePayload(doubled) }]) },
      ];
    });
    expect(await expectSameOrStepsAside('stts-in-udta.mp4', bytes)).toMatch(/outside the place/);
  });

  it('steps aside for a sync sample table that overruns its parent (ffmpeg reads it cut short)', async () => {
    const bytes = await edited((moov) => {
      const stbl = videoStbl(moov);
      // stss last in stbl, its size one entry larger than the bytes left.
      const stss = childOf(stbl, 'stss');
      stbl.children = [...(stbl.children ?? []).filter((b) => b !== stss), { type: 'sts!', payload: stss.payload }];
    });
    const at = bytes.indexOf('sts!', 0, 'latin1');
    bytes.write('stss', at, 'latin1');
    bytes.writeUInt32BE(bytes.readUInt32BE(at - 4) + 4, at - 4);
    expect(await expectSameOrStepsAside('stss-overrun.mp4', bytes)).toMatch(/do not fill/);
  });

  it('steps aside for timescales ffmpeg reads as negative, and for two edit lists', async () => {
    const moovOf = (bytes: Buffer) => {
      const at = bytes.indexOf('moov', 0, 'latin1') - 4;
      return bytes.subarray(at, at + bytes.readUInt32BE(at));
    };
    const inputss = await readFile(fileOf('inputss.mp4'));
    const { video } = await videoOf(fileOf('inputss.mp4'));
    const track = { index: video.index, timeBase: video.timeBase };
    const huge = editMoov(inputss, (moov) => childOf(moov, 'mvhd').payload?.writeUInt32BE(0x80000000, 12));
    expect(videoPacketsFromMoov(moovOf(huge), track, huge.length)).toMatchObject({
      supported: false,
      reason: /timescale/,
    });
    const twice = editMoov(inputss, (moov) => {
      const edts = childOf(videoTrakOf(moov), 'edts');
      edts.children = [...(edts.children ?? []), ...(edts.children ?? [])];
    });
    expect(videoPacketsFromMoov(moovOf(twice), track, twice.length)).toMatchObject({
      supported: false,
      reason: /more than one edit list/,
    });
  });

  it('answers at once, without gigabytes, for a tiny table claiming millions of samples', async () => {
    const bytes = await edited((moov) => {
      const stbl = videoStbl(moov);
      // 8 million: the reader took 3 s and 0.7 GB for these few hundred bytes; 50 million ended the process.
      const n = 8_000_000;
      stbl.children = (stbl.children ?? []).filter((b) => b.type !== 'ctts' && b.type !== 'stss');
      setTable(stbl, 'stsz', fullBox(0, 0, uint32s([1, n])));
      setTable(stbl, 'stts', tablePayload([[n, 1]]));
      setTable(stbl, 'stsc', tablePayload([[1, n, 1]]));
      setChunkOffsets(stbl, [48], false);
    });
    const at = bytes.indexOf('moov', 0, 'latin1') - 4;
    const moov = bytes.subarray(at, at + bytes.readUInt32BE(at));
    // The reason is the count check, which comes before anything is allocated per sample.
    const read = videoPacketsFromMoov(
      moov,
      { ...track0, timeBase: (await videoOf(fileOf('noedit.mp4'))).video.timeBase },
      2 ** 40,
    );
    expect(read).toMatchObject({ supported: false, reason: /more samples/ });
  });
});

describe("H.264 keyframes are the parser's, not the sync sample table's", () => {
  const ranges: [number, number][] = [
    [0.2, 0.3],
    [0.55, 0.7],
    [0.3, 0.62],
    [0.8, 0.85],
    [0.41, 0.5],
  ];

  it('asks ffprobe when an I picture between the IDR picture and the in point may be a keyframe to it', async () => {
    const reasons = await expectPlansAsFfprobe(fileOf('scenecut.mp4'), ranges);
    expect(reasons).toContainEqual(expect.stringMatching(/may be a keyframe to the H.264 parser/));
  });

  it('asks ffprobe when the sync sample table leaves IDR pictures out', async () => {
    const file = path.join(dir, 'stss-first-only.mp4');
    await writeFile(
      file,
      editMoov(await readFile(fileOf('bframes.mp4')), (moov) => {
        const stbl = stblOf(videoTrakOf(moov));
        setTable(stbl, 'stss', tablePayload(tableEntries(childOf(stbl, 'stss'), 1).slice(0, 1)));
      }),
    );
    expect(await expectPlansAsFfprobe(file, ranges)).toContainEqual(expect.stringMatching(/may be a keyframe/));
  });
});

describe('a low frame rate', () => {
  it('plans on every frame shown up to the frame after the clip', async () => {
    if (!hasX265) return void expect(hasX265).toBe(false);
    const file = fileOf('lowfps.mp4');
    const { source, video } = await videoOf(file);
    const whole = await readVideoPackets(tools, file, source, video.index, { fromSec: null, toSec: null });
    const everything = { packets: whole, startsAtBeginning: true, reachesEnd: true };
    for (const [fromSec, toSec] of [
      [25.495, 35.258],
      [3.2, 6.4],
      [11.7, 28.1],
      [9.5, 13.5],
    ] as const)
      for (const mode of ['lossless', 'exact'] as const) {
        const request = { fromSec, toSec, mode };
        const { log, fallbacks } = recordingLog();
        const planned = await settle(planClip(tools, file, request, { source, log }));
        if (fallbacks().length > 0) continue;
        const truth = await settle(Promise.resolve().then(() => computeClipPlan(source, video, everything, request)));
        expect(withoutSource(planned), JSON.stringify(request)).toEqual(withoutSource(truth));
      }
  });
});

describe('ffprobe windows that end before the clip does', () => {
  it('plans a video whose edit list puts it 1.2 s from its audio as on the whole packet list', async () => {
    // The first look reads every stream and stops at the first packet past the window: here an
    // audio packet, before the video frames of the range were read.
    const file = path.join(dir, 'video-edit-off-audio.mp4');
    await writeFile(
      file,
      editMoov(await readFile(fileOf('bframes.mp4')), (moov) => {
        const trak = videoTrakOf(moov);
        const elst = fullBox(0, 0, uint32s([1, 2000, 512 * 37 + 100, 0x10000]));
        trak.children = [
          ...(trak.children ?? []).filter((b) => b.type !== 'edts'),
          { type: 'edts', children: [{ type: 'elst', payload: elst }] },
        ];
      }),
    );
    const { source, video } = await videoOf(file);
    const whole = await readVideoPackets(tools, file, source, video.index, { fromSec: null, toSec: null });
    const everything = { packets: whole, startsAtBeginning: true, reachesEnd: true };
    for (const request of [
      { fromSec: 0.487, toSec: 0.957, mode: 'exact' as const },
      { fromSec: 0, toSec: 0.3, mode: 'lossless' as const },
      { fromSec: 0, toSec: 0.3, mode: 'exact' as const },
    ]) {
      const truth = await settle(Promise.resolve().then(() => computeClipPlan(source, video, everything, request)));
      expect(withoutSource(await settle(planClip(tools, file, request))), JSON.stringify(request)).toEqual(
        withoutSource(truth),
      );
      expect(withoutSource(await settle(planClip(tools, file, request, { source }))), JSON.stringify(request)).toEqual(
        withoutSource(truth),
      );
    }
  });
});
