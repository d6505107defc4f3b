import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/engineApi';
import { EXACT_AUDIO, EXACT_VIDEO, type ClipMode } from '../../src/core/media/cut/clip';
import { readInterval } from '../../src/core/media/probe/packets';
import type { DerivedEvidence } from '../../src/shared/reviewSchemas';
import type { FigureContext } from '../lib/context';
import { removeTree } from '../lib/files';
import { assertAllStored } from '../lib/importRun';
import { MIB, formatRatio, formatSeconds } from '../lib/format';
import { verdictOf, type FigureReport, type Row, type SubTable } from '../lib/report';
import { ensureReviewSource } from '../lib/reviewSource';
import { runTimed, shellQuote, syncDisks } from '../lib/shell';
import { median, timeMs } from '../lib/stats';
import { openBenchStation, quietLogger, type BenchStation } from '../lib/station';

const LOSSLESS_TARGET = 1.2;
const EXACT_TARGET = 1.15;
/** Each run cuts a range one keyframe interval later, so no cut repeats (a repeat is a duplicate). */
const SHIFT_SEC = 2;
export const CLIPS_TITLE = 'Figure 7: clips of 60 s (10-minute 1080p), lossless and exact, vs plain ffmpeg + sha256sum';

/** The imported recording, every clip the station keeps (lossless ~60 MiB, exact up to ~150 MiB) and slack. */
export function clipsNeedBytes(quick: boolean): number {
  return (quick ? 256 : 2048) * MIB;
}

interface Side {
  mode: ClipMode;
  fromSec: number;
  durationSec: number;
  target: number;
  /** The plain command's ffmpeg arguments after `-ss F -i SRC -t D`. */
  plainArgs: string[];
}

/** The engine's own account of one clip (its `clip made` log line). */
interface Steps {
  planMs: number;
  cutMs: number;
  storeMs: number;
}

/** Planned-first runs cut ranges this much later than the run's own (new GOPs, never a repeat). */
const PLANNED_SHIFT_SEC = 1;

/** Exec starts of one clip on the station (the recording's streams already known): plan, cut, measure. */
const FLOOR_EXECS = 2;

/** `BENCH_CLIPS=lossless` (or `exact`) runs one side; both by default. */
function clipModesToRun(): ClipMode[] {
  const asked = (process.env.BENCH_CLIPS ?? 'lossless,exact').split(',').map((m) => m.trim());
  const modes = (['lossless', 'exact'] as const).filter((m) => asked.includes(m));
  if (modes.length === 0) throw new Error(`BENCH_CLIPS names no clip mode: ${process.env.BENCH_CLIPS}`);
  return modes;
}

interface SideResult {
  side: Side;
  baselineMs: number[];
  /** The floor (lossless only): the station's process starts as plain commands, one after another. */
  floorMs: number[];
  stationMs: number[];
  /** The one-minute load average as each run began. */
  load1: number[];
  /** Lossless only: `clips.create` of a range the clip panel planned first (untimed). */
  plannedMs: number[];
  plannedSteps: Steps[];
  steps: Steps[];
  clip: DerivedEvidence | undefined;
}

/**
 * Each side alternates the plain command (ffmpeg, then sha256sum of its output, in one `sh -c`)
 * with the station's way: `engine.call('clips.create', …)` on a bench station that imported the
 * recording (untimed), timed from the call to its return: plan, cut, measure + probe + hash +
 * fsync (overlapped), rename into the store, transaction. Same ffmpeg binary, same range, same encoder settings for the exact clip.
 */
export async function runClips(ctx: FigureContext): Promise<FigureReport> {
  const source = await ensureReviewSource(ctx.tools, { quick: ctx.quick, say: ctx.say });
  const runs = ctx.quick ? 2 : 3;
  const modes = clipModesToRun();
  // A lossless clip from a keyframe (both cut the same GOPs); an exact one from mid-GOP.
  const allSides: Side[] = [
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
  const sides = allSides.filter((side) => modes.includes(side.mode));

  const steps: Steps[] = [];
  const log: Logger = {
    ...quietLogger,
    info: (message, fields) => {
      if (message === 'clip made' && fields) {
        steps.push({ planMs: Number(fields.planMs), cutMs: Number(fields.cutMs), storeMs: Number(fields.storeMs) });
      }
    },
  };
  ctx.say('clips: importing the recording into a bench station (untimed)');
  // The station cuts with the very pair the plain side runs: the ratio compares one ffmpeg with itself.
  const station = await openBenchStation(join(ctx.dir, 'station'), undefined, log, {
    ffmpegPath: ctx.tools.ffmpeg.path,
    ffprobePath: ctx.tools.ffprobe.path,
  });
  const results: SideResult[] = [];
  try {
    const itemId = await importSource(station, source.path);
    for (const side of sides) results.push(await runSide(ctx, station, itemId, source.path, side, runs, steps));
  } finally {
    await station.engine.close();
  }

  const rows: Row[] = [];
  const tables: SubTable[] = [];
  for (const r of results) {
    const base = median(r.baselineMs);
    const ours = median(r.stationMs);
    const ratio = ours / base;
    const floor = r.floorMs.length > 0 ? median(r.floorMs) : null;
    rows.push(
      {
        measure: `${r.side.mode}: plain ffmpeg -ss F -i SRC -t ${r.side.durationSec} ${r.side.mode === 'lossless' ? '-c copy' : '(same x264/AAC settings)'} + sha256sum, median of ${runs}`,
        target: '—',
        measured: formatSeconds(base),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `${r.side.mode}: engine.call('clips.create') to its return, median of ${runs}`,
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
    if (r.plannedMs.length > 0) {
      const planned = median(r.plannedMs) / base;
      rows.push(
        {
          measure: `${r.side.mode}: engine.call('clips.create') of a range the clip panel planned first (clips.plan, untimed), median of ${runs}`,
          target: '—',
          measured: formatSeconds(median(r.plannedMs)),
          ratio: '—',
          verdict: 'INFO',
        },
        {
          measure: `${r.side.mode}: station, range planned first / plain`,
          target: `≤ ${formatRatio(r.side.target)}`,
          measured: formatRatio(planned),
          ratio: `${(planned / r.side.target).toFixed(2)} of target`,
          verdict: verdictOf(planned, r.side.target, 'atMost'),
        },
      );
    }
    if (floor !== null) {
      rows.push(
        {
          measure: `${r.side.mode}: floor: the station's ${FLOOR_EXECS} tool runs as plain commands (the cut, ffprobe measuring the clip) + sha256sum, median of ${runs}`,
          target: '—',
          measured: `${formatSeconds(floor)} (${formatRatio(floor / base)} plain)`,
          ratio: '—',
          verdict: 'INFO',
        },
        {
          measure: `${r.side.mode}: station / floor`,
          target: '—',
          measured: formatRatio(ours / floor),
          ratio: '—',
          verdict: 'INFO',
        },
      );
    }
    tables.push({
      title: `${r.side.mode} runs (alternating, plain first${r.floorMs.length > 0 ? ', then the floor' : ''}; F = ${r.side.fromSec} + ${SHIFT_SEC}·run s on both sides)`,
      headers: [
        'Run',
        'Load',
        'Plain',
        ...(r.floorMs.length > 0 ? ['Floor'] : []),
        'Station',
        'Station / plain',
        'Plan',
        'Cut (ffmpeg; measure, probe, hash, fsync)',
        'Store (rename, transaction)',
        ...(r.plannedMs.length > 0 ? ['Planned first', 'Planned / plain', 'Its cut', 'Its store'] : []),
      ],
      rows: r.baselineMs.map((b, i) => {
        const s = r.steps[i];
        return [
          String(i + 1),
          String(r.load1[i] ?? '—'),
          formatSeconds(b),
          ...(r.floorMs.length > 0 ? [formatSeconds(r.floorMs[i] ?? Number.NaN)] : []),
          formatSeconds(r.stationMs[i] ?? Number.NaN),
          formatRatio((r.stationMs[i] ?? Number.NaN) / b),
          s ? formatSeconds(s.planMs) : '—',
          s ? formatSeconds(s.cutMs) : '—',
          s ? formatSeconds(s.storeMs) : '—',
          ...(r.plannedMs.length > 0
            ? [
                formatSeconds(r.plannedMs[i] ?? Number.NaN),
                formatRatio((r.plannedMs[i] ?? Number.NaN) / b),
                r.plannedSteps[i] ? formatSeconds(r.plannedSteps[i].cutMs) : '—',
                r.plannedSteps[i] ? formatSeconds(r.plannedSteps[i].storeMs) : '—',
              ]
            : []),
        ];
      }),
    });
  }
  const describe = (r: SideResult) =>
    r.clip
      ? `${r.side.mode} clip (last run): ${r.clip.derivation.frameCount} frames, ${r.clip.derivation.fromSec}–${r.clip.derivation.toSec} s of the source`
      : `${r.side.mode}: no clip`;
  return {
    id: 'clips',
    title: CLIPS_TITLE,
    rows,
    tables,
    notes: [
      `Source: ${source.durationSec / 60} min of ${source.height}p${source.fps} H.264 (B-frames, keyframe every ${source.keyframeIntervalSec} s) + AAC, imported (untimed) into a bench station with background jobs off; its stored copy is what both sides read, in the page cache for every run (one untimed round of each side first); ${ctx.tools.ffmpeg.path} (${ctx.tools.ffmpeg.version}) on both sides.`,
      `${results.map(describe).join('; ')}. The plain lossless command seeks like ffmpeg does (to the keyframe before, hidden behind an edit list); the station's clip starts on the keyframe with nothing hidden.`,
      "Timed on the station side: engine.call('clips.create') from the call to its return — the plan (the video packets around the range, read in-process from the recording's MP4 sample table; the recording's stream facts are probed and its sample table is read once per engine, in the untimed warm-up, as stored evidence never changes: a cold read of this 10-minute recording's table takes 30–60 ms), the ffmpeg cut to a temp file, then in one overlapped pass its measurement and item probe (one ffprobe run, whose format and streams the item's facts are read from) while the hashing worker reads it from the disk (direct I/O) and it is fsynced, then the rename into the store and the transaction with its custody entry. The plain side fsyncs nothing. Each run cuts a new range (a repeated lossless range would be the same bytes, answered as a duplicate). `sync` runs (untimed) after every run. Step columns come from the engine's `clip made` log line. The clip panel plans the range the person chose (clips.plan) before its Cut button is pressed, and the engine keeps that plan (stored bytes never change): the planned-first runs (lossless) time clips.create after an untimed clips.plan of the same range, the panel's flow; the station's other runs are the CLI's flow (it cuts without planning first). The floor (lossless) runs the station's two tool starts (the cut, and ffprobe measuring the clip) as plain commands, one after another, with sha256sum: each start of a dynamically linked ffmpeg or ffprobe costs ~0.1 s of CPU in the loader alone, which the plain side pays once and a clip that is measured pays twice.",
    ],
    data: Object.fromEntries(
      results.map((r) => [
        r.side.mode,
        {
          fromSec: r.side.fromSec,
          shiftSecPerRun: SHIFT_SEC,
          durationSec: r.side.durationSec,
          baselineMs: r.baselineMs,
          floorMs: r.floorMs,
          stationMs: r.stationMs,
          plannedFirstMs: r.plannedMs,
          plannedFirstStepsMs: r.plannedSteps,
          plannedFirstRatio: r.plannedMs.length > 0 ? median(r.plannedMs) / median(r.baselineMs) : null,
          load1: r.load1,
          stepsMs: r.steps,
          ratio: median(r.stationMs) / median(r.baselineMs),
          target: { ratioAtMost: r.side.target },
          pass: median(r.stationMs) / median(r.baselineMs) <= r.side.target,
          clip: r.clip?.derivation ?? null,
        },
      ]),
    ),
  };
}

async function importSource(station: BenchStation, source: string): Promise<string> {
  const { importId } = await station.engine.call('import.start', { paths: [source] }, station.ctx);
  const record = await station.engine.waitForImport(importId);
  assertAllStored(record, 1);
  const itemId = record.files[0]?.itemId;
  if (!itemId) throw new Error('the import stored the recording but named no item');
  return itemId;
}

async function runSide(
  ctx: FigureContext,
  station: BenchStation,
  itemId: string,
  src: string,
  side: Side,
  runs: number,
  steps: Steps[],
): Promise<SideResult> {
  const dir = join(ctx.dir, side.mode);
  await mkdir(dir, { recursive: true });
  const plainOut = join(dir, 'plain.mp4');
  const ffmpeg = [ctx.tools.ffmpeg.path, '-nostdin', '-hide_banner', '-v', 'error', '-y'];
  const fromOf = (n: number) => Math.round((side.fromSec + n * SHIFT_SEC) * 1000) / 1000;
  const cutOf = (n: number) => [
    ...ffmpeg,
    ...['-ss', String(fromOf(n)), '-i', src, '-t', String(side.durationSec), ...side.plainArgs, plainOut],
  ];
  const plain = async (n: number) => {
    const script = `${cutOf(n).map(shellQuote).join(' ')} && sha256sum ${shellQuote(plainOut)}`;
    const { ms } = await runTimed('sh', ['-c', script]);
    await rm(plainOut, { force: true });
    await syncDisks();
    return ms;
  };
  // The station's tool runs for one clip of an MP4, in plain commands one after another (the
  // station overlaps the measurement with the hash and fsync; it plans on the sample table,
  // in-process): what no clip path that measures its clip with ffprobe can go below.
  const floor = async (n: number) => {
    const ffprobe = [ctx.tools.ffprobe.path, '-v', 'error', '-of', 'json=compact=1'];
    const packets = ['-show_entries', 'packet=stream_index,pts,dts,duration,flags'];
    const edges = `${readInterval(null, 1)},${readInterval(side.durationSec - 1, null)}`;
    const measure = [...ffprobe, '-read_intervals', edges, '-show_format', '-show_streams', ...packets, plainOut];
    const script = [cutOf(n), measure].map((argv) => `${argv.map(shellQuote).join(' ')} >/dev/null`);
    const { ms } = await runTimed('sh', ['-c', `${script.join(' && ')} && sha256sum ${shellQuote(plainOut)}`]);
    await rm(plainOut, { force: true });
    await syncDisks();
    return ms;
  };
  let clip: DerivedEvidence | undefined;
  const seen = new Set<string>();
  /**
   * One timed `clips.create`. `planned`: the clip panel's way, the same range planned first
   * (`clips.plan`, untimed, as the panel does while the range is chosen), on a range
   * `PLANNED_SHIFT_SEC` later so it is cut for the first time.
   */
  const stationRun = async (n: number, planned = false): Promise<{ ms: number; step: Steps | undefined }> => {
    const from = fromOf(n) + (planned ? PLANNED_SHIFT_SEC : 0);
    const range = { itemId, fromSec: from, toSec: from + side.durationSec, mode: side.mode };
    if (planned) await station.engine.call('clips.plan', range, station.ctx);
    const before = steps.length;
    const input = { ...range, jobId: `bench-${side.mode}-${planned ? 'planned-' : ''}${n}` };
    const timed = await timeMs(() => station.engine.call('clips.create', input, station.ctx));
    if (seen.has(timed.value.item.id)) throw new Error('the clip repeated an earlier one; the run timed no store');
    seen.add(timed.value.item.id);
    clip = timed.value;
    await syncDisks();
    return { ms: timed.ms, step: steps.length > before ? steps.at(-1) : undefined };
  };

  const withFloor = side.mode === 'lossless';
  ctx.say(`clips: ${side.mode}: warm-up round (untimed)`);
  await plain(0);
  if (withFloor) await floor(0);
  await stationRun(0);
  if (withFloor) await stationRun(0, true);
  const baselineMs: number[] = [];
  const floorMs: number[] = [];
  const stationMs: number[] = [];
  const plannedMs: number[] = [];
  const runSteps: Steps[] = [];
  const plannedSteps: Steps[] = [];
  const load1: number[] = [];
  for (let i = 1; i <= runs; i++) {
    load1.push(Number(loadavg()[0]!.toFixed(2)));
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: plain`);
    baselineMs.push(await plain(i));
    if (withFloor) {
      ctx.say(`clips: ${side.mode}: run ${i}/${runs}: floor`);
      floorMs.push(await floor(i));
    }
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: station`);
    const cold = await stationRun(i);
    stationMs.push(cold.ms);
    if (cold.step) runSteps.push(cold.step);
    if (withFloor) {
      ctx.say(`clips: ${side.mode}: run ${i}/${runs}: station, range planned first`);
      const warm = await stationRun(i, true);
      plannedMs.push(warm.ms);
      if (warm.step) plannedSteps.push(warm.step);
    }
  }
  await removeTree(dir);
  return { side, baselineMs, floorMs, stationMs, plannedMs, load1, steps: runSteps, plannedSteps, clip };
}
