import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveMediaTools } from '../src/core/media/tools/binaries';
import { IMPORT1G_TITLE, import1gNeedBytes, runImport1g } from './figures/import1g';
import { FOLDER_TITLE, folderNeedBytes, runFolder } from './figures/folder';
import { LIBRARY_TITLE, libraryNeedBytes, runLibrary } from './figures/library';
import { MEMORY_TITLE, memoryNeedBytes, runMemory } from './figures/memory';
import { SEEK_TITLE, runSeek, seekNeedBytes } from './figures/seek';
import { FILMSTRIP_TITLE, filmstripNeedBytes, runFilmstrip } from './figures/filmstrip';
import { CLIPS_TITLE, clipsNeedBytes, runClips } from './figures/clips';
import { VERIFY_TITLE, runVerify, verifyNeedBytes } from './figures/verify';
import { SEAL_TITLE, runSeal, sealNeedBytes } from './figures/seal';
import { HOST_LOOP_TITLE, hostLoopNeedBytes, runHostLoop } from './figures/hostLoop';
import { UPLOAD_TITLE, runUpload, uploadNeedBytes } from './figures/upload';
import { CLI_TITLE, cliNeedBytes, runCli } from './figures/cli';
import { BENCH_USAGE, BenchUsageError, parseBenchArgs, type FigureId } from './lib/args';
import type { FigureContext } from './lib/context';
import { freeBytes, removeTree } from './lib/files';
import { formatBytes } from './lib/format';
import { renderFigure, skippedFigure, type FigureReport } from './lib/report';

/**
 * `npm run bench`: the performance figures, each measured against a baseline or target in
 * the same run on the same machine, printed as tables and written to .bench/results.json.
 * Timing lives here and nowhere in the tests.
 */

interface FigureSpec {
  title: string;
  needBytes(quick: boolean): number;
  run(ctx: FigureContext): Promise<FigureReport>;
}

const FIGURES: Record<FigureId, FigureSpec> = {
  import1g: { title: IMPORT1G_TITLE, needBytes: import1gNeedBytes, run: runImport1g },
  folder: { title: FOLDER_TITLE, needBytes: folderNeedBytes, run: runFolder },
  memory: { title: MEMORY_TITLE, needBytes: memoryNeedBytes, run: runMemory },
  library: { title: LIBRARY_TITLE, needBytes: libraryNeedBytes, run: runLibrary },
  seek: { title: SEEK_TITLE, needBytes: seekNeedBytes, run: runSeek },
  filmstrip: { title: FILMSTRIP_TITLE, needBytes: filmstripNeedBytes, run: runFilmstrip },
  clips: { title: CLIPS_TITLE, needBytes: clipsNeedBytes, run: runClips },
  verify: { title: VERIFY_TITLE, needBytes: verifyNeedBytes, run: runVerify },
  seal: { title: SEAL_TITLE, needBytes: sealNeedBytes, run: runSeal },
  hostLoop: { title: HOST_LOOP_TITLE, needBytes: hostLoopNeedBytes, run: runHostLoop },
  upload: { title: UPLOAD_TITLE, needBytes: uploadNeedBytes, run: runUpload },
  cli: { title: CLI_TITLE, needBytes: cliNeedBytes, run: runCli },
};

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const say = (message: string): void => {
  process.stderr.write(`[bench] ${message}\n`);
};

// Piped into `head`, stdout closes early; the run goes on (results still reach the JSON file) and
// cleans up, instead of dying on EPIPE and leaving gigabytes in the temporary directory. The error
// arrives a tick after the failed write, so the handler stays for the life of the process.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

async function main(argv: string[]): Promise<number> {
  let opts;
  try {
    opts = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof BenchUsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${BENCH_USAGE}`);
    return 2;
  }
  const startedAt = new Date();
  // Other work on the machine skews every timing; the load at the start says how much to trust them.
  const loadAtStart = loadavg().map((l) => Number(l.toFixed(2)));
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'evidence-station-bench-'));
  const cleanUp = async (): Promise<void> => {
    if (opts.keep) say(`kept ${root}`);
    else await removeTree(root);
  };
  const onSignal = (): void => {
    say('interrupted: removing the temporary directory');
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const reports: FigureReport[] = [];
  let failed = false;
  try {
    const tools = await resolveMediaTools();
    const free = await freeBytes(root);
    const need = Math.max(...opts.only.map((id) => FIGURES[id].needBytes(opts.quick)));
    const spaceLine = `free space in ${tmpdir()}: ${formatBytes(free)}; the selected figures need up to ${formatBytes(need)} at once`;
    const spaceVerdict = free < need ? `${spaceLine}: NOT ENOUGH, figures that do not fit are skipped` : spaceLine;
    process.stdout.write(`# Evidence Station bench${opts.quick ? ' (quick)' : ''}\n${spaceVerdict}\n`);

    for (const id of opts.only) {
      const spec = FIGURES[id];
      const dir = join(root, id);
      await mkdir(dir, { recursive: true });
      const needed = spec.needBytes(opts.quick);
      const available = await freeBytes(dir);
      if (available < needed) {
        reports.push(
          skippedFigure(id, spec.title, `needs ${formatBytes(needed)} free, ${formatBytes(available)} available`),
        );
        continue;
      }
      const figureStart = performance.now();
      try {
        const report = await spec.run({ dir, quick: opts.quick, tools, say });
        report.data.figureSeconds = (performance.now() - figureStart) / 1000;
        reports.push(report);
      } catch (error) {
        failed = true;
        say(`${id} failed: ${(error as Error).stack ?? String(error)}`);
        reports.push(skippedFigure(id, spec.title, `failed: ${(error as Error).message}`));
      } finally {
        if (!opts.keep) await removeTree(dir);
      }
      process.stdout.write(`\n${renderFigure(reports.at(-1)!)}\n`);
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const machine = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      totalMemBytes: totalmem(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      ffmpeg: tools.ffmpeg,
      ffprobe: tools.ffprobe,
      nodeEnv: process.env.NODE_ENV ?? null,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    };
    const resultsDir = join(REPO_ROOT, '.bench');
    await mkdir(resultsDir, { recursive: true });
    const resultsFile = join(resultsDir, 'results.json');
    const results = {
      startedAt: startedAt.toISOString(),
      totalSeconds,
      options: opts,
      tempDir: root,
      freeSpace: spaceVerdict,
      machine,
      figures: Object.fromEntries(
        reports.map((r) => [r.id, { title: r.title, rows: r.rows, notes: r.notes, ...r.data }]),
      ),
    };
    await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(
      `\n${opts.quick ? 'QUICK (smoke) run: sizes are reduced, figures are not the issue’s. ' : ''}` +
        `Total ${totalSeconds.toFixed(0)} s on ${machine.cpus} × ${machine.cpuModel ?? 'cpu'}, Node ${machine.node}, ffmpeg ${tools.ffmpeg.version}; load average ${loadAtStart[0]} at start, ${machine.loadAverageAtEnd[0]} at end. Results: ${resultsFile}\n`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
