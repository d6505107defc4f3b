import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MediaTools } from '../../src/core/media/tools/binaries';
import { DEFAULT_FILE_NAME_PATTERNS } from '../../src/core/media/probe/fileNamePatterns';
import { FFPROBE_ARGS } from '../../src/core/media/probe/ffprobe';
import { probeMedia } from '../../src/core/media/probe/probeMedia';
import { runProcess } from '../../src/core/media/tools/runProcess';
import { PROBES_AT_ONCE } from '../../src/core/import/importPipeline';
import type { FigureContext } from '../lib/context';
import { removeTree } from '../lib/files';
import { MIB, formatBytes, formatMs, formatRatio, formatSeconds } from '../lib/format';
import { assertAllStored, importSpans, timeImport, type ImportSpans } from '../lib/importRun';
import { runsTable, verdictOf, type FigureReport } from '../lib/report';
import { runTimed, shellQuote, syncDisks } from '../lib/shell';
import { median, medianIndex, timeMs } from '../lib/stats';

export const FOLDER_TITLE = 'Figure 2: import of a card folder of small videos vs cp -r + sha256sum ×2';
const FFMPEG_TIMEOUT_MS = 120_000;
/** Issue 11: at least 4× faster than the 146.6 ms a file (112× the baseline) it was measured at. */
const TARGET_RATIO = 30;
/** Outputs per ffmpeg run: one process writes many remuxed copies, which beats 200 process starts. */
const REMUX_BATCH = 50;

export function folderFileCount(quick: boolean): number {
  return quick ? 20 : 200;
}

export function folderNeedBytes(quick: boolean): number {
  return folderFileCount(quick) * 3 * MIB + 512 * MIB;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** GA/T 947-style body-cam names, which the station's default patterns parse for device, officer and time. */
function bodyCamName(i: number): string {
  const at = new Date(Date.UTC(2026, 2, 1, 9, 30, 0) + i * 127_000);
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1, 2)}${pad(at.getUTCDate(), 2)}${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}${pad(at.getUTCSeconds(), 2)}`;
  return `DSJ-A8-${pad((i % 8) + 1, 4)}_${pad(12340 + (i % 5), 6)}_${stamp}_${pad(i + 1, 4)}.MP4`;
}

/** One 2-second H.264/AAC clip, then `count` remuxed copies that differ only in a comment tag (so in hash). */
async function generateCard(tools: MediaTools, dir: string, count: number): Promise<string> {
  const card = join(dir, 'card');
  const media = join(card, 'DCIM', '100MEDIA');
  await mkdir(media, { recursive: true });
  const base = join(dir, 'base.mp4');
  await runProcess(
    tools.ffmpeg.path,
    [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2'],
      ...['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=2'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
      ...['-movflags', '+faststart', base],
    ],
    { timeoutMs: FFMPEG_TIMEOUT_MS },
  );
  for (let from = 0; from < count; from += REMUX_BATCH) {
    const outputs: string[] = [];
    for (let i = from; i < Math.min(count, from + REMUX_BATCH); i++) {
      outputs.push('-map', '0', '-c', 'copy', '-metadata', `comment=bench copy ${i}`, join(media, bodyCamName(i)));
    }
    await runProcess(tools.ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-y', '-i', base, ...outputs], {
      timeoutMs: FFMPEG_TIMEOUT_MS,
    });
  }
  return card;
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * The tool's own cost: the station's ffprobe command on every file of the card, as many at once
 * as the import runs, outside the station (no Node, no fork of a large process, no parse).
 */
function probeFloorScript(tools: MediaTools, card: string): string {
  const command = [tools.ffprobe.path, ...FFPROBE_ARGS].map(shellQuote).join(' ');
  return `find ${shellQuote(card)} -type f -print0 | xargs -0 -n 1 -P ${PROBES_AT_ONCE} ${command} > /dev/null`;
}

/** How long the station's probe of one of these files takes (ffprobe start + parse), median of 10. */
async function timeOneProbe(tools: MediaTools, card: string): Promise<number> {
  const name = bodyCamName(0);
  const file = join(card, 'DCIM', '100MEDIA', name);
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { ms, value } = await timeMs(() =>
      probeMedia(tools, file, {
        fileName: name,
        modifiedAt: null,
        patterns: DEFAULT_FILE_NAME_PATTERNS,
        stationOffsetMinutes: 480,
      }),
    );
    if (!value.ok) throw new Error(`the generated clip does not probe: ${value.reason}`);
    samples.push(ms);
  }
  return median(samples);
}

export async function runFolder(ctx: FigureContext): Promise<FigureReport> {
  const count = folderFileCount(ctx.quick);
  const runs = ctx.quick ? 2 : 3;
  ctx.say(`figure 2: generating ${count} clips with ffmpeg ${ctx.tools.ffmpeg.version}`);
  const generated = await timeMs(() => generateCard(ctx.tools, ctx.dir, count));
  const card = generated.value;
  const bytes = await folderBytes(card);
  await syncDisks();

  const dst = join(ctx.dir, 'baseline-copy');
  const script =
    `cp -r ${shellQuote(card)} ${shellQuote(dst)}` +
    ` && find ${shellQuote(card)} -type f -exec sha256sum {} +` +
    ` && find ${shellQuote(dst)} -type f -exec sha256sum {} +`;
  const floorScript = probeFloorScript(ctx.tools, card);
  const baselineMs: number[] = [];
  const probeFloorMs: number[] = [];
  const importMs: number[] = [];
  const spans: ImportSpans[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.say(`figure 2: run ${i + 1}/${runs}: baseline`);
    baselineMs.push((await runTimed('sh', ['-c', script])).ms);
    await removeTree(dst);
    await syncDisks();
    ctx.say(`figure 2: run ${i + 1}/${runs}: probe floor`);
    probeFloorMs.push((await runTimed('sh', ['-c', floorScript])).ms);
    ctx.say(`figure 2: run ${i + 1}/${runs}: import`);
    const dataDir = join(ctx.dir, `station-${i}`);
    const run = await timeImport(dataDir, [card], false);
    assertAllStored(run.record, count);
    if ((run.record.counts.undecodable ?? 0) > 0) throw new Error('a generated clip was recorded as undecodable');
    importMs.push(run.ms);
    spans.push(importSpans(run));
    await removeTree(dataDir);
    await syncDisks();
  }
  const probeMs = await timeOneProbe(ctx.tools, card);

  const base = median(baselineMs);
  const floor = median(probeFloorMs);
  const imp = median(importMs);
  // Per run, then the median: the floor and the import of one run saw the same load.
  const stationMs = median(importMs.map((ms, i) => ms - probeFloorMs[i]!));
  const perFileMs = imp / count;
  const typicalIndex = medianIndex(importMs);
  const typical = spans[typicalIndex]!;
  const typicalPerFileMs = importMs[typicalIndex]! / count;
  return {
    id: 'folder',
    title: FOLDER_TITLE,
    rows: [
      {
        measure: `baseline: cp -r && sha256sum both trees, median of ${runs}`,
        target: '—',
        measured: formatSeconds(base),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `import of the folder, median of ${runs}`,
        target: '—',
        measured: formatSeconds(imp),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'import / baseline',
        target: `≤ ${formatRatio(TARGET_RATIO)}`,
        measured: formatRatio(imp / base),
        ratio: `${(imp / base / TARGET_RATIO).toFixed(2)} of target`,
        verdict: verdictOf(imp / base, TARGET_RATIO, 'atMost'),
      },
      {
        measure: `probe floor: the station's ffprobe command on every file, ${PROBES_AT_ONCE} at a time, median of ${runs}`,
        target: '(report)',
        measured: formatSeconds(floor),
        ratio: `${formatRatio(floor / base)} baseline`,
        verdict: 'INFO',
      },
      {
        measure: "the station's own part: import − probe floor, per run, median",
        target: '(report)',
        measured: formatSeconds(stationMs),
        ratio: `${formatRatio(stationMs / base)} baseline`,
        verdict: 'INFO',
      },
      {
        measure: 'import rate',
        target: '(report)',
        measured: `${(count / (imp / 1000)).toFixed(1)} files/s`,
        ratio: '—',
        verdict: 'INFO',
      },
    ],
    tables: [
      runsTable(baselineMs, importMs),
      {
        title: 'Probe floor per run (timed between the baseline and the import of the same run)',
        headers: ['Run', 'Probe floor', 'Floor / baseline', 'Import − floor', '(Import − floor) / baseline'],
        rows: probeFloorMs.map((f, i) => [
          String(i + 1),
          formatSeconds(f),
          formatRatio(f / baselineMs[i]!),
          formatSeconds(importMs[i]! - f),
          formatRatio((importMs[i]! - f) / baselineMs[i]!),
        ]),
      },
      {
        title: `Per file (run ${typicalIndex + 1}, the one nearest the median)`,
        headers: ['Piece', 'Time'],
        rows: [
          ['import, per file', formatMs(typicalPerFileMs)],
          [
            '  copy stage, one file after another: classify, hashing copy, fsync, read-back',
            formatMs(typical.copyMs / count),
          ],
          [
            "  stored → committed, each file's own wait (overlaps later copies): rename, probe, group commit",
            formatMs(typical.verifyProbeRecordMs / count),
          ],
          ['station probe of one clip alone (ffprobe + parse), median of 10', formatMs(probeMs)],
        ],
      },
    ],
    notes: [
      `${count} clips of 2 s H.264 640×360 + AAC, ${formatBytes(bytes)} in all (${formatBytes(bytes / count)} each), generated in ${formatSeconds(generated.ms)}: one encode, then remuxed with -c copy and a distinct comment tag so every hash differs; GA/T 947-style names in DCIM/100MEDIA.`,
      'The import includes scanning, hashing copy, fsync of file and directory, verifying re-read, ffprobe of every clip and its SQLite commit (synchronous=FULL); files go through a pipeline (one copied while up to two earlier ones are probed, each ffprobe started by the small process launcher of the station rather than forked from the engine) and their outcomes commit in groups of up to 16 in file order, each with its own custody entry; thumbnails and filmstrips are background jobs and are not run (runJobs: false).',
      'Page cache: sources warm on both sides; `sync` runs between runs (untimed). The baseline does not fsync.',
      `Probe floor: \`ffprobe ${FFPROBE_ARGS.join(' ')} FILE\` (the station's command, same binary) on each source file, ${PROBES_AT_ONCE} at a time with xargs, output discarded: what the tool alone costs, which no code of the station's can remove while it runs one ffprobe a file. "Import − probe floor" is what the station adds (copy, hash, fsync, read-back, parse, commit) and what it fails to overlap.`,
    ],
    data: {
      files: count,
      bytes,
      runs,
      baselineMs,
      importMs,
      baselineMedianMs: base,
      probeFloorMs,
      probeFloorMedianMs: floor,
      importMinusFloorMedianMs: stationMs,
      importMedianMs: imp,
      ratio: imp / base,
      filesPerSecond: count / (imp / 1000),
      perFileMedianMs: perFileMs,
      probeOneFileMedianMs: probeMs,
      medianRunSpansMs: typical,
      generateMs: generated.ms,
    },
  };
}
