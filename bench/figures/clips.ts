import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXACT_AUDIO, EXACT_VIDEO, cutClip, planClip, type ClipMode, type ClipResult } from '../../src/core/media/clip';
import { HashCopier } from '../../src/core/store/hashCopy';
import type { FigureContext } from '../lib/context';
import { removeTree } from '../lib/files';
import { MIB, formatRatio, formatSeconds } from '../lib/format';
import { verdictOf, type FigureReport, type Row, type SubTable } from '../lib/report';
import { ensureReviewSource } from '../lib/reviewSource';
import { runTimed, shellQuote, syncDisks } from '../lib/shell';
import { median, timeMs } from '../lib/stats';

const LOSSLESS_TARGET = 1.2;
const EXACT_TARGET = 1.15;
export const CLIPS_TITLE = 'Figure 7: clips of 60 s (10-minute 1080p), lossless and exact, vs plain ffmpeg + sha256sum';

/** Two lossless clips (~60 MiB each at 8 Mbit/s) or two exact ones, plus slack. */
export function clipsNeedBytes(quick: boolean): number {
  return (quick ? 64 : 512) * MIB;
}

interface Side {
  mode: ClipMode;
  fromSec: number;
  durationSec: number;
  target: number;
  /** The plain command's ffmpeg arguments after `-ss F -i SRC -t D`. */
  plainArgs: string[];
}

interface SideResult {
  side: Side;
  baselineMs: number[];
  stationMs: number[];
  clip: ClipResult | undefined;
}

/**
 * Each side alternates the plain command (ffmpeg, then sha256sum of its output, in one `sh -c`)
 * with the station's way (planClip + cutClip, which probes the packets, cuts to a temp file,
 * measures it, fsyncs and renames, then the hash of the clip by the hashing worker, as the engine
 * does before storing it). Same ffmpeg binary, same encoder settings for the exact clip.
 */
export async function runClips(ctx: FigureContext): Promise<FigureReport> {
  const source = await ensureReviewSource(ctx.tools, { quick: ctx.quick, say: ctx.say });
  const runs = ctx.quick ? 2 : 3;
  // A lossless clip from a keyframe (both cut the same GOPs); an exact one from mid-GOP.
  const sides: Side[] = [
    {
      mode: 'lossless',
      fromSec: ctx.quick ? 10 : 120,
      durationSec: ctx.quick ? 30 : 60,
      target: LOSSLESS_TARGET,
      plainArgs: ['-c', 'copy'],
    },
    {
      mode: 'exact',
      fromSec: ctx.quick ? 10.52 : 120.52,
      durationSec: ctx.quick ? 5 : 60,
      target: EXACT_TARGET,
      plainArgs: [
        ...['-c:v', EXACT_VIDEO.codec, '-preset', EXACT_VIDEO.preset, '-crf', String(EXACT_VIDEO.crf)],
        ...['-pix_fmt', 'yuv420p', '-c:a', EXACT_AUDIO.codec, '-b:a', EXACT_AUDIO.bitrate, '-movflags', '+faststart'],
      ],
    },
  ];

  const hasher = new HashCopier();
  const results: SideResult[] = [];
  try {
    const tiny = join(ctx.dir, 'tiny.bin');
    await writeFile(tiny, 'x');
    await hasher.hash(tiny);
    for (const side of sides) results.push(await runSide(ctx, source.path, side, runs, hasher));
  } finally {
    await hasher.close();
  }

  const rows: Row[] = [];
  const tables: SubTable[] = [];
  for (const r of results) {
    const base = median(r.baselineMs);
    const ours = median(r.stationMs);
    const ratio = ours / base;
    rows.push(
      {
        measure: `${r.side.mode}: plain ffmpeg -ss ${r.side.fromSec} -i SRC -t ${r.side.durationSec} ${r.side.mode === 'lossless' ? '-c copy' : '(same x264/AAC settings)'} + sha256sum, median of ${runs}`,
        target: '—',
        measured: formatSeconds(base),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `${r.side.mode}: planClip + cutClip (with the hash), median of ${runs}`,
        target: '—',
        measured: formatSeconds(ours),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `${r.side.mode}: station / plain`,
        target: `≤ ${formatRatio(r.side.target)}`,
        measured: formatRatio(ratio),
        ratio: `${(ratio / r.side.target).toFixed(2)} of target`,
        verdict: verdictOf(ratio, r.side.target, 'atMost'),
      },
    );
    tables.push({
      title: `${r.side.mode} runs (alternating, plain first)`,
      headers: ['Run', 'Plain', 'Station', 'Station / plain'],
      rows: r.baselineMs.map((b, i) => [
        String(i + 1),
        formatSeconds(b),
        formatSeconds(r.stationMs[i] ?? Number.NaN),
        formatRatio((r.stationMs[i] ?? Number.NaN) / b),
      ]),
    });
  }
  const describe = (r: SideResult) =>
    r.clip
      ? `${r.side.mode} clip: ${r.clip.measured.frameCount} frames, ${r.clip.measured.fromSec}–${r.clip.measured.toSec} s of the source`
      : `${r.side.mode}: no clip`;
  return {
    id: 'clips',
    title: CLIPS_TITLE,
    rows,
    tables,
    notes: [
      `Source: ${source.durationSec / 60} min of ${source.height}p${source.fps} H.264 (B-frames, keyframe every ${source.keyframeIntervalSec} s) + AAC, in the page cache for every run (one untimed round of each side first); ${ctx.tools.ffmpeg.path} (${ctx.tools.ffmpeg.version}) on both sides.`,
      `${results.map(describe).join('; ')}. The plain lossless command seeks like ffmpeg does (to the keyframe before, hidden behind an edit list); the station's clip starts on the keyframe with nothing hidden.`,
      'The station side also reads the packet list (plan), and before committing the clip measures it with ffprobe, fsyncs it and hashes it in the worker (the three overlap); the plain side fsyncs nothing. `sync` runs (untimed) after every run.',
    ],
    data: Object.fromEntries(
      results.map((r) => [
        r.side.mode,
        {
          fromSec: r.side.fromSec,
          durationSec: r.side.durationSec,
          baselineMs: r.baselineMs,
          stationMs: r.stationMs,
          ratio: median(r.stationMs) / median(r.baselineMs),
          target: { ratioAtMost: r.side.target },
          pass: median(r.stationMs) / median(r.baselineMs) <= r.side.target,
          measured: r.clip?.measured ?? null,
        },
      ]),
    ),
  };
}

async function runSide(
  ctx: FigureContext,
  src: string,
  side: Side,
  runs: number,
  hasher: HashCopier,
): Promise<SideResult> {
  const dir = join(ctx.dir, side.mode);
  await mkdir(dir, { recursive: true });
  const plainOut = join(dir, 'plain.mp4');
  const ffmpeg = [ctx.tools.ffmpeg.path, '-nostdin', '-hide_banner', '-v', 'error', '-y'];
  const cut = ['-ss', String(side.fromSec), '-i', src, '-t', String(side.durationSec), ...side.plainArgs, plainOut];
  const script = `${[...ffmpeg, ...cut].map(shellQuote).join(' ')} && sha256sum ${shellQuote(plainOut)}`;
  const plain = async () => {
    const { ms } = await runTimed('sh', ['-c', script]);
    await rm(plainOut, { force: true });
    await syncDisks();
    return ms;
  };
  let clip: ClipResult | undefined;
  const station = async (n: number) => {
    const request = { fromSec: side.fromSec, toSec: side.fromSec + side.durationSec, mode: side.mode };
    // The clip is hashed by the worker while cutClip measures and fsyncs it, as the engine does.
    const hash = async (file: string) => (await hasher.hash(file)).sha256;
    const timed = await timeMs(async () => {
      const plan = await planClip(ctx.tools, src, request);
      return cutClip(ctx.tools, src, join(dir, `station-${n}${plan.extension}`), plan, { hash });
    });
    if (!timed.value.sha256) throw new Error('the clip was not hashed');
    clip = timed.value;
    await rm(timed.value.path, { force: true });
    await syncDisks();
    return timed.ms;
  };

  ctx.say(`clips: ${side.mode}: warm-up round (untimed)`);
  await plain();
  await station(0);
  const baselineMs: number[] = [];
  const stationMs: number[] = [];
  for (let i = 1; i <= runs; i++) {
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: plain`);
    baselineMs.push(await plain());
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: station`);
    stationMs.push(await station(i));
  }
  await removeTree(dir);
  return { side, baselineMs, stationMs, clip };
}
