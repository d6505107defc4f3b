import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FigureContext } from '../lib/context';
import { removeTree, writeSparseFile } from '../lib/files';
import { GIB, MIB, formatBytes, formatRate, formatSeconds } from '../lib/format';
import { verdictOf, type FigureReport } from '../lib/report';
import { syncDisks } from '../lib/shell';

export const MEMORY_TITLE = 'Figure 3: peak memory of importing one very large file (child process)';
const TARGET_BYTES = 300 * 1000 * 1000;
const POLL_MS = 50;
const CHILD = fileURLToPath(new URL('../importChild.ts', import.meta.url));

export function memoryFileBytes(quick: boolean): number {
  return quick ? 256 * MIB : 4 * GIB;
}

/** The sparse source takes no blocks; its stored copy takes all of them, plus the engine's reserve. */
export function memoryNeedBytes(quick: boolean): number {
  return memoryFileBytes(quick) + 512 * MIB;
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

interface ChildReport {
  readyRssBytes: number;
  doneLine: { ms: number; state: string; safeToWipe: boolean; maxRssBytes: number; rssBytes: number };
  /** Highest VmHWM read from /proc while the child ran (a cross-check of maxRSS). */
  polledHwmBytes: number;
  threadsMax: number;
}

/** Reads `VmHWM:  123 kB` style fields from /proc/<pid>/status; null once the process is gone. */
async function readStatus(pid: number): Promise<{ hwm: number; threads: number } | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!text) return null;
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { hwm: field('VmHWM') * 1024, threads: field('Threads') };
}

/** Runs the child under Node with the tsx loader (one process, no npm or tsx wrapper in between). */
function runChild(dataDir: string, source: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, '--data', dataDir, '--source', source, '--include-non-media'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let polledHwmBytes = 0;
    let threadsMax = 0;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    const poll = setInterval(() => {
      if (child.pid === undefined) return;
      void readStatus(child.pid).then((s) => {
        if (!s) return;
        polledHwmBytes = Math.max(polledHwmBytes, s.hwm);
        threadsMax = Math.max(threadsMax, s.threads);
      });
    }, POLL_MS);
    child.on('error', (error) => {
      clearInterval(poll);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) {
        reject(new Error(`import child exited with ${code}: ${stderr.trim()}`));
        return;
      }
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const ready = lines.find((l) => l.event === 'ready');
      const done = lines.find((l) => l.event === 'done') as ChildReport['doneLine'] | undefined;
      if (!ready || !done) {
        reject(new Error(`import child did not report: ${stdout.slice(0, 500)}`));
        return;
      }
      resolve({ readyRssBytes: Number(ready.rssBytes), doneLine: done, polledHwmBytes, threadsMax });
    });
  });
}

export async function runMemory(ctx: FigureContext): Promise<FigureReport> {
  const size = memoryFileBytes(ctx.quick);
  const sourceDir = join(ctx.dir, 'source');
  await mkdir(sourceDir, { recursive: true });
  const source = join(sourceDir, 'evidence-huge.bin');
  await writeSparseFile(source, size);
  ctx.say(`figure 3: importing a ${formatBytes(size)} sparse file in a child process`);
  const dataDir = join(ctx.dir, 'station');
  let report: ChildReport;
  try {
    report = await runChild(dataDir, source);
  } finally {
    await removeTree(dataDir);
    await removeTree(sourceDir);
    await syncDisks();
  }
  const done = report.doneLine;
  if (done.state !== 'completed' || !done.safeToWipe) throw new Error(`the import did not complete: ${done.state}`);
  const peak = Math.max(done.maxRssBytes, report.polledHwmBytes);
  return {
    id: 'memory',
    title: MEMORY_TITLE,
    rows: [
      {
        measure: `peak RSS importing ${formatBytes(size)} (maxRSS of the child)`,
        target: `< ${formatMB(TARGET_BYTES)}`,
        measured: formatMB(peak),
        ratio: `${(peak / TARGET_BYTES).toFixed(2)} of target`,
        verdict: verdictOf(peak, TARGET_BYTES, 'below'),
      },
      {
        measure: 'RSS with the engine open, before the import',
        target: '—',
        measured: formatMB(report.readyRssBytes),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'growth during the import (peak − before)',
        target: '—',
        measured: formatMB(Math.max(0, peak - report.readyRssBytes)),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'import wall time / throughput',
        target: '—',
        measured: `${formatSeconds(done.ms)} / ${formatRate(size, done.ms)}`,
        ratio: '—',
        verdict: 'INFO',
      },
    ],
    tables: [],
    notes: [
      `Source: a ${formatBytes(size)} sparse file (truncate), so reading it costs no disk I/O; the stored copy is real, written and fsynced, then re-read. Imported with includeNonMedia (no ffprobe child, whose memory would not count here anyway).`,
      `The child is one Node process (node --import tsx bench/importChild.ts) running the engine from TypeScript source; the tsx loader and the hashing worker thread are inside its RSS. Peak = max of getrusage maxRSS (${formatMB(done.maxRssBytes)}) and VmHWM polled every ${POLL_MS} ms (${formatMB(report.polledHwmBytes)}); up to ${report.threadsMax} threads seen.`,
      'Page-cache pages of the source and the copy are not part of RSS (the engine reads with read(2), not mmap).',
    ],
    data: {
      bytes: size,
      peakRssBytes: peak,
      maxRssBytes: done.maxRssBytes,
      polledHwmBytes: report.polledHwmBytes,
      readyRssBytes: report.readyRssBytes,
      endRssBytes: done.rssBytes,
      importMs: done.ms,
      target: { peakRssBelowBytes: TARGET_BYTES },
      pass: peak < TARGET_BYTES,
    },
  };
}
