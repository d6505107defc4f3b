import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkNodeBuild } from '../../scripts/nodeBuildStamp.mjs';
import { buildNode } from '../../scripts/buildNode.mjs';
import { seedLibrary } from '../../test/support/seedLibrary';
import type { FigureContext } from '../lib/context';
import { formatMs, formatRatio } from '../lib/format';
import { verdictOf, type FigureReport, type Row } from '../lib/report';
import { median } from '../lib/stats';

export const CLI_TITLE = "Figure 12: the command line's start (the package's bin, fresh processes)";

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** What `evidence-station` runs: package.json's bin. */
const BIN = join(REPO_ROOT, 'bin', 'evidence-station.mjs');
const RUNS = 3;
const HELP_TARGET = 3;
const VERIFY_TARGET = 6;
const CUSTODY_ENTRIES = 10_000;
/**
 * seedLibrary writes an import's start and end entries around every 50 items: 9,700 items give
 * 10,088 entries, and the account set-up adds its own. The figure checks the count it got.
 */
const SEED_ITEMS = 9_700;

export function cliNeedBytes(): number {
  return 64 * 1024 * 1024;
}

interface Run {
  ms: number;
  /** User + system CPU of the process and its threads, from GNU time; null where it is missing. */
  cpuMs: number | null;
  load1: number;
}

/**
 * GNU time reports a child's CPU time (user + system, every thread), which a loaded machine
 * stretches far less than the wall clock; it adds a fork and an exec before node starts, the same
 * for every command timed.
 */
const GNU_TIME = '/usr/bin/time';

/** Spawn to exit of one fresh `node …` process, its stdout discarded; fails on a non-zero exit. */
async function timeNode(args: string[], cpuFile: string): Promise<Run> {
  const withCpu = existsSync(GNU_TIME);
  const run = await new Promise<Omit<Run, 'cpuMs'>>((resolve, reject) => {
    const load1 = Number(loadavg()[0]!.toFixed(2));
    const [command, commandArgs] = withCpu
      ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, process.execPath, ...args]]
      : [process.execPath, args];
    const start = performance.now();
    const child = spawn(command, commandArgs, {
      cwd: REPO_ROOT,
      // No password anywhere: a read-only command that asked for one would fail here.
      env: { ...process.env, STATION_PASSWORD: '', STATION_DATA: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms, load1 });
      else reject(new Error(`node ${args.join(' ')} failed (${code ?? signal}): ${stderr.trim()}`));
    });
  });
  if (!withCpu) return { ...run, cpuMs: null };
  const [user, system] = (await readFile(cpuFile, 'utf8')).trim().split(/\s+/).map(Number);
  return { ...run, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000 };
}

const medianMs = (runs: readonly Run[]): number => median(runs.map((r) => r.ms));
const medianCpuMs = (runs: readonly Run[]): number => median(runs.map((r) => r.cpuMs ?? Number.NaN));

function cpuRow(measure: string, target: number, runs: Run[], bare: Run[]): Row {
  const ratio = medianCpuMs(runs) / medianCpuMs(bare);
  return {
    measure: `${measure}: CPU time`,
    target: `(≤ ${target}× node -e 0's)`,
    measured: `${formatMs(medianCpuMs(runs))} CPU (median of ${runs.length})`,
    ratio: formatRatio(ratio),
    verdict: 'INFO',
  };
}

function ratioRow(measure: string, target: number, runs: Run[], bare: Run[]): Row {
  const ratio = medianMs(runs) / medianMs(bare);
  return {
    measure,
    target: `≤ ${target}× node -e 0`,
    measured: `${formatMs(medianMs(runs))} (median of ${runs.length})`,
    ratio: formatRatio(ratio),
    verdict: verdictOf(ratio, target, 'atMost'),
  };
}

export async function runCli(ctx: FigureContext): Promise<FigureReport> {
  // The bin checks its build against the sources and would rebuild first: a rebuild is not a start.
  if (!checkNodeBuild().fresh) {
    ctx.say('figure 12: building out/node first');
    await buildNode({ quiet: true });
  }
  const dataDir = join(ctx.dir, 'station');
  ctx.say(`figure 12: a station with ${CUSTODY_ENTRIES.toLocaleString('en-US')} custody entries`);
  const seeded = await seedLibrary(dataDir, {
    count: SEED_ITEMS,
    admin: { name: 'bench', password: 'bench-password-1' },
  });
  if (seeded.custodyEntries < CUSTODY_ENTRIES) {
    throw new Error(`the seeded station has ${seeded.custodyEntries} custody entries, fewer than ${CUSTODY_ENTRIES}`);
  }

  const bare: Run[] = [];
  const help: Run[] = [];
  const verify: Run[] = [];
  // Interleaved, so a burst of load elsewhere lands on every kind of run alike.
  for (let i = 0; i < RUNS; i++) {
    ctx.say(`figure 12: run ${i + 1} of ${RUNS}`);
    const cpuFile = join(ctx.dir, 'cpu.txt');
    bare.push(await timeNode(['-e', '0'], cpuFile));
    help.push(await timeNode([BIN, '--help'], cpuFile));
    verify.push(await timeNode([BIN, 'log', 'verify', '--json', '--data', dataDir], cpuFile));
  }

  const perRun = (name: string, runs: Run[]): string[] => [
    name,
    ...runs.map((r) => `${formatMs(r.ms)}${r.cpuMs === null ? '' : `, CPU ${formatMs(r.cpuMs)}`} (load ${r.load1})`),
    formatMs(medianMs(runs)),
  ];
  const verifyLabel = `log verify --json, ${seeded.custodyEntries.toLocaleString('en-US')}+ custody entries`;
  const hasCpu = bare.every((r) => r.cpuMs !== null);
  return {
    id: 'cli',
    title: CLI_TITLE,
    rows: [
      ratioRow('node bin/evidence-station.mjs --help', HELP_TARGET, help, bare),
      ratioRow(verifyLabel, VERIFY_TARGET, verify, bare),
      ...(hasCpu
        ? [cpuRow('--help', HELP_TARGET, help, bare), cpuRow('log verify --json', VERIFY_TARGET, verify, bare)]
        : []),
    ],
    tables: [
      {
        title: 'Each run, spawn to exit, and CPU time (1-minute load average when it started)',
        headers: ['Command', ...Array.from({ length: RUNS }, (_, i) => `Run ${i + 1}`), 'Median'],
        rows: [perRun('node -e 0 (baseline)', bare), perRun('--help', help), perRun('log verify --json', verify)],
      },
    ],
    notes: [
      `Each command is a fresh \`node\` process started the way \`evidence-station\` starts (\`node bin/evidence-station.mjs …\`): the bin checks out/node's build stamp against the sources (a stat per source file), enables source maps, and imports the built CLI; no tsx, no npm in between. The build was fresh before the clock started.`,
      `The station: ${SEED_ITEMS.toLocaleString('en-US')} items from test/support/seedLibrary.ts with ${seeded.custodyEntries.toLocaleString('en-US')} custody entries plus the account set-up's; \`log verify\` opens the station (no sign-in: no password is set in the environment, and a prompt would fail without a terminal), checks every entry's hash and link, the head file and the checkpoints.`,
      `${RUNS} runs of each, interleaved (bare, --help, log verify); ratios are median over median. The machine's load average is beside each run: under load every process start stretches, the baseline's too. The targets apply to the wall-clock rows; the CPU rows (GNU time's user + system, every thread) say the same with less of the machine's other work in them.`,
    ],
    data: {
      runs: RUNS,
      custodyEntries: seeded.custodyEntries,
      bareMs: bare,
      helpMs: help,
      logVerifyMs: verify,
      helpRatio: medianMs(help) / medianMs(bare),
      logVerifyRatio: medianMs(verify) / medianMs(bare),
      helpCpuRatio: hasCpu ? medianCpuMs(help) / medianCpuMs(bare) : null,
      logVerifyCpuRatio: hasCpu ? medianCpuMs(verify) / medianCpuMs(bare) : null,
      targets: { helpAtMost: HELP_TARGET, logVerifyAtMost: VERIFY_TARGET },
    },
  };
}
