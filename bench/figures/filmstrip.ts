import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFilmstrip, type FilmstripResult } from '../../src/core/media/derive/filmstrip';
import { HashCopier } from '../../src/core/store/hashCopy';
import type { FigureContext } from '../lib/context';
import { removeTree } from '../lib/files';
import { MIB, formatRatio, formatSeconds } from '../lib/format';
import { verdictOf, type FigureReport } from '../lib/report';
import { ensureReviewSource } from '../lib/reviewSource';
import { runTimed, syncDisks } from '../lib/shell';
import { median, timeMs } from '../lib/stats';

const TARGET_RATIO = 1.5;
export const FILMSTRIP_TITLE =
  'Figure 6: filmstrip of every keyframe (10-minute 1080p) vs ffmpeg -skip_frame nokey … %04d.jpg';

/** Tiles of both sides (a few MiB) plus slack; the recording itself is cached in .bench/cache. */
export function filmstripNeedBytes(): number {
  return 64 * MIB;
}

/**
 * Baseline: the command, every keyframe decoded alone and written as its own 160 px JPEG,
 * with the ffmpeg the station uses. Station: the real `makeFilmstrip` (probe, one ffmpeg run with
 * showinfo and 10x10 sheets, fsync, rename) plus the hash of its index by the hashing worker, as
 * the derived-media runner does. Alternating runs, baseline first, after one untimed round each.
 */
export async function runFilmstrip(ctx: FigureContext): Promise<FigureReport> {
  const source = await ensureReviewSource(ctx.tools, { quick: ctx.quick, say: ctx.say });
  const runs = ctx.quick ? 2 : 3;
  const baselineDir = join(ctx.dir, 'baseline');
  const baselineArgs = [
    ...['-nostdin', '-hide_banner', '-v', 'error', '-y', '-skip_frame', 'nokey', '-i', source.path],
    ...['-vf', 'scale=160:-2', '-vsync', 'vfr', join(baselineDir, '%04d.jpg')],
  ];
  const baseline = async () => {
    await mkdir(baselineDir, { recursive: true });
    const { ms } = await runTimed(ctx.tools.ffmpeg.path, baselineArgs);
    await removeTree(baselineDir);
    await syncDisks();
    return ms;
  };
  const hasher = new HashCopier();
  let made: FilmstripResult | undefined;
  const station = async (n: number) => {
    const outDir = join(ctx.dir, `station-${n}`, 'filmstrip');
    await mkdir(join(ctx.dir, `station-${n}`), { recursive: true });
    const timed = await timeMs(async () => {
      const result = await makeFilmstrip(ctx.tools, source.path, outDir);
      await hasher.hash(result.indexPath);
      return result;
    });
    made = timed.value;
    await removeTree(join(ctx.dir, `station-${n}`));
    await syncDisks();
    return timed.ms;
  };

  const baselineMs: number[] = [];
  const stationMs: number[] = [];
  try {
    // The worker starts once per engine; its start is not part of a filmstrip.
    const tiny = join(ctx.dir, 'tiny.bin');
    await writeFile(tiny, 'x');
    await hasher.hash(tiny);
    ctx.say('filmstrip: warm-up round (untimed)');
    await baseline();
    await station(0);
    for (let i = 1; i <= runs; i++) {
      ctx.say(`filmstrip: run ${i}/${runs}: baseline`);
      baselineMs.push(await baseline());
      ctx.say(`filmstrip: run ${i}/${runs}: station`);
      stationMs.push(await station(i));
    }
  } finally {
    await hasher.close();
  }

  const base = median(baselineMs);
  const ours = median(stationMs);
  const ratio = ours / base;
  const tiles = made?.index.timesSec.length ?? 0;
  return {
    id: 'filmstrip',
    title: FILMSTRIP_TITLE,
    rows: [
      {
        measure: `baseline: ffmpeg -skip_frame nokey -i SRC -vf scale=160:-2 -vsync vfr OUT/%04d.jpg, median of ${runs}`,
        target: '—',
        measured: formatSeconds(base),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `station: makeFilmstrip + hash of its index, median of ${runs}`,
        target: '—',
        measured: formatSeconds(ours),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'station / baseline',
        target: `≤ ${formatRatio(TARGET_RATIO)}`,
        measured: formatRatio(ratio),
        ratio: `${(ratio / TARGET_RATIO).toFixed(2)} of target`,
        verdict: verdictOf(ratio, TARGET_RATIO, 'atMost'),
      },
    ],
    tables: [
      {
        title: 'Runs (alternating, baseline first)',
        headers: ['Run', 'Baseline', 'Station', 'Station / baseline'],
        rows: baselineMs.map((b, i) => [
          String(i + 1),
          formatSeconds(b),
          formatSeconds(stationMs[i] ?? Number.NaN),
          formatRatio((stationMs[i] ?? Number.NaN) / b),
        ]),
      },
    ],
    notes: [
      `Source: ${source.durationSec / 60} min of ${source.height}p${source.fps} H.264 with a keyframe every ${source.keyframeIntervalSec} s (${tiles} tiles in ${made?.index.sheets ?? 0} sheets of ${made?.index.columns ?? 0}×${made?.index.rows ?? 0}, ${made?.index.tileWidth ?? 0}×${made?.index.tileHeight ?? 0} px each); both sides use ${ctx.tools.ffmpeg.path} (${ctx.tools.ffmpeg.version}).`,
      'The recording is in the page cache for both sides (one untimed round each first). The station also probes the file, parses showinfo for each tile time, fsyncs every sheet and the index, renames the folder into place, and hashes the index in the worker; the baseline writes one JPEG per tile and fsyncs nothing. `sync` runs (untimed) after every run.',
    ],
    data: {
      runs,
      baselineMs,
      stationMs,
      baselineMedianMs: base,
      stationMedianMs: ours,
      ratio,
      target: { ratioAtMost: TARGET_RATIO },
      pass: ratio <= TARGET_RATIO,
      tiles,
      index: made ? { ...made.index, timesSec: undefined } : null,
    },
  };
}
