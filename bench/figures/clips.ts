import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../src/core/engineApi';
import { EXACT_AUDIO, EXACT_VIDEO, type ClipMode } from '../../src/core/media/cut/clip';
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

interface SideResult {
  side: Side;
  baselineMs: number[];
  stationMs: number[];
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
    tables.push({
      title: `${r.side.mode} runs (alternating, plain first; F = ${r.side.fromSec} + ${SHIFT_SEC}·run s on both sides)`,
      headers: [
        'Run',
        'Plain',
        'Station',
        'Station / plain',
        'Plan',
        'Cut (ffmpeg; measure, probe, hash, fsync)',
        'Store (rename, transaction)',
      ],
      rows: r.baselineMs.map((b, i) => {
        const s = r.steps[i];
        return [
          String(i + 1),
          formatSeconds(b),
          formatSeconds(r.stationMs[i] ?? Number.NaN),
          formatRatio((r.stationMs[i] ?? Number.NaN) / b),
          s ? formatSeconds(s.planMs) : '—',
          s ? formatSeconds(s.cutMs) : '—',
          s ? formatSeconds(s.storeMs) : '—',
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
      "Timed on the station side: engine.call('clips.create') from the call to its return — reading the video packets around the range (plan; the recording's stream facts are probed once per engine, in the untimed warm-up, as stored evidence never changes), the ffmpeg cut to a temp file, then in one overlapped pass its measurement and item probe (two ffprobe runs) while the hashing worker reads it from the disk (direct I/O) and it is fsynced, then the rename into the store and the transaction with its custody entry. The plain side fsyncs nothing. Each run cuts a new range (a repeated lossless range would be the same bytes, answered as a duplicate). `sync` runs (untimed) after every run. Step columns come from the engine's `clip made` log line.",
    ],
    data: Object.fromEntries(
      results.map((r) => [
        r.side.mode,
        {
          fromSec: r.side.fromSec,
          shiftSecPerRun: SHIFT_SEC,
          durationSec: r.side.durationSec,
          baselineMs: r.baselineMs,
          stationMs: r.stationMs,
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
  const plain = async (n: number) => {
    const cut = ['-ss', String(fromOf(n)), '-i', src, '-t', String(side.durationSec), ...side.plainArgs, plainOut];
    const script = `${[...ffmpeg, ...cut].map(shellQuote).join(' ')} && sha256sum ${shellQuote(plainOut)}`;
    const { ms } = await runTimed('sh', ['-c', script]);
    await rm(plainOut, { force: true });
    await syncDisks();
    return ms;
  };
  let clip: DerivedEvidence | undefined;
  const stepsBefore = steps.length;
  const seen = new Set<string>();
  const stationRun = async (n: number) => {
    const input = {
      jobId: `bench-${side.mode}-${n}`,
      itemId,
      fromSec: fromOf(n),
      toSec: fromOf(n) + side.durationSec,
      mode: side.mode,
    };
    const timed = await timeMs(() => station.engine.call('clips.create', input, station.ctx));
    if (seen.has(timed.value.item.id)) throw new Error('the clip repeated an earlier one; the run timed no store');
    seen.add(timed.value.item.id);
    clip = timed.value;
    await syncDisks();
    return timed.ms;
  };

  ctx.say(`clips: ${side.mode}: warm-up round (untimed)`);
  await plain(0);
  await stationRun(0);
  const baselineMs: number[] = [];
  const stationMs: number[] = [];
  for (let i = 1; i <= runs; i++) {
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: plain`);
    baselineMs.push(await plain(i));
    ctx.say(`clips: ${side.mode}: run ${i}/${runs}: station`);
    stationMs.push(await stationRun(i));
  }
  await removeTree(dir);
  // The first line is the warm-up's.
  return { side, baselineMs, stationMs, steps: steps.slice(stepsBefore + 1), clip };
}
