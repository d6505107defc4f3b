import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { CallContext } from '../src/core/engineApi';
import type { SyncSummary } from '../src/shared/syncSchemas';
import { BENCH_PASSWORD, openBenchStation } from './lib/station';

/**
 * Child process of the upload figure: a station, as the engine process runs it, with its sync
 * worker in this process. It imports the source files (untimed), makes one case of each, sealed by
 * the admin, then waits for commands on stdin, one JSON line each:
 *
 * - `{ "cmd": "enrol", "url", "code" }` enrols the station (through `sync.enrol`, as the app does);
 * - `{ "cmd": "sync", "case": i }` has the supervisor approve case i (untimed; a second account,
 *   since nobody approves what they sealed), then times `sync.now` from the call to the answer,
 *   which comes once the receipt is checked and stored; passes are repeated (a cut connection
 *   leaves the version waiting to retry) until it is synced;
 * - `{ "cmd": "exit" }`.
 *
 * Every answer is a JSON line on stdout. The sync worker runs in the background only in an engine
 * that lives on (runJobs), so here nothing is sent but what `sync.now` asks for.
 */

const SUPERVISOR = 'li';
const MAX_PASSES = 10;
/**
 * How often the profile reads the sync status. Each read builds the whole status, as the Sync
 * panel's does (once a second); at every 25 ms those reads took a tenth of a core from the sync
 * they were watching. A tenth of a second is fine enough for phases that last seconds.
 */
const PHASE_POLL_MS = 100;

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Resets the process's RSS high-water mark to its current RSS; false where Linux's /proc is not there. */
function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

function peakRssBytes(): number | null {
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return kib ? Number(kib) * 1024 : null;
}

/** The package's copy of a file of `size` bytes (hard-linked from the station's store). */
async function packageFileOfSize(dir: string, size: number): Promise<string | null> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = await packageFileOfSize(path, size);
      if (found) return found;
    } else if (entry.isFile() && (await stat(path)).size === size) return path;
  }
  return null;
}

/** When, in ms from the start, the big file's first byte was out, it was done, and every file was. */
export interface PhaseMarks {
  firstByte: number | null;
  fileDone: number | null;
  allFilesDone: number | null;
}

/**
 * Looks at the sync status (the worker's live progress and the outbox) every 100 ms while a sync
 * runs, for the figure's profile: where the time goes between the first byte of the evidence
 * file, the server's answer to its last PATCH (which waits for the fsync, hash and link), the
 * package's other files and the commit. Reads only; one SQLite query each time.
 */
function watchPhases(
  engine: Awaited<ReturnType<typeof openBenchStation>>['engine'],
  ctx: CallContext,
  caseId: string,
  size: number,
): { stop(start: number): PhaseMarks } {
  const at: PhaseMarks = { firstByte: null, fileDone: null, allFilesDone: null };
  const timer = setInterval(() => {
    void engine.call('sync.status', {}, ctx).then((status) => {
      const now = performance.now();
      const files = status.versions.find((v) => v.caseId === caseId)?.files ?? [];
      const big = files.find((f) => f.size === size);
      if (big && big.bytesDone > 0) at.firstByte ??= now;
      if (big?.done) at.fileDone ??= now;
      if (files.length > 0 && files.every((f) => f.done)) at.allFilesDone ??= now;
    });
  }, PHASE_POLL_MS);
  return {
    stop(start) {
      clearInterval(timer);
      const rel = (t: number | null): number | null => (t === null ? null : t - start);
      return {
        firstByte: rel(at.firstByte),
        fileDone: rel(at.fileDone),
        allFilesDone: rel(at.allFilesDone),
      };
    },
  };
}

type Command = { cmd: 'enrol'; url: string; code: string } | { cmd: 'sync'; case: number } | { cmd: 'exit' };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, source: { type: 'string', multiple: true } },
  });
  const sources = values.source ?? [];
  if (!values.data || sources.length === 0) throw new Error('usage: uploadChild --data DIR --source FILE…');
  // BENCH_UPLOAD_CHUNK_MIB tries another chunk size than the engine's default (reported as such).
  const chunkMib = Number(process.env.BENCH_UPLOAD_CHUNK_MIB);
  const { engine, ctx } = await openBenchStation(values.data, undefined, undefined, {
    warmReport: true,
    ...(Number.isSafeInteger(chunkMib) && chunkMib > 0 ? { sync: { chunkSize: chunkMib * 1024 * 1024 } } : {}),
  });
  try {
    await engine.call('accounts.create', { name: SUPERVISOR, password: BENCH_PASSWORD, role: 'supervisor' }, ctx);
    const signIn = await engine.call(
      'auth.signIn',
      { name: SUPERVISOR, password: BENCH_PASSWORD },
      { sessionId: null, via: 'test' },
    );
    const supervisor: CallContext = { sessionId: signIn.sessionId, via: 'test' };

    const { importId } = await engine.call('import.start', { paths: sources, includeNonMedia: true }, ctx);
    const record = await engine.waitForImport(importId);
    const cases: { caseId: string; number: string; size: number; packageFile: string }[] = [];
    for (const [i, source] of sources.entries()) {
      const file = record.files.find((f) => f.path === source || f.originalName === basename(source));
      if (!file?.itemId) throw new Error(`${source} was not imported`);
      const size = (await stat(source)).size;
      const c = await engine.call('cases.create', { title: `Bench upload ${i + 1} 上传` }, ctx);
      await engine.call('cases.addItems', { caseId: c.id, itemIds: [file.itemId] }, ctx);
      const sealed = await engine.call('cases.seal', { caseId: c.id }, ctx);
      const packageFile = await packageFileOfSize(sealed.path, size);
      if (!packageFile) throw new Error(`the package of ${sealed.case} holds no file of ${size} bytes`);
      cases.push({ caseId: c.id, number: sealed.case, size, packageFile });
    }
    emit({ event: 'ready', cases, rssBytes: process.memoryUsage().rss });

    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) {
      const command = JSON.parse(line) as Command;
      if (command.cmd === 'exit') break;
      if (command.cmd === 'enrol') {
        await engine.call('sync.enrol', { serverUrl: command.url, code: command.code }, ctx);
        emit({ event: 'enrolled' });
        continue;
      }
      const target = cases[command.case];
      if (!target) throw new Error(`no case ${command.case}`);
      await engine.call('cases.approve', { caseId: target.caseId }, supervisor);
      const phases = watchPhases(engine, ctx, target.caseId, target.size);
      const startRssBytes = process.memoryUsage().rss;
      const peakReset = resetPeakRss();
      const cpuAtStart = process.cpuUsage();
      const start = performance.now();
      let mine: SyncSummary | undefined;
      let passes = 0;
      while (passes < MAX_PASSES) {
        passes += 1;
        const list = await engine.call('sync.now', { wait: true }, ctx);
        mine = list.find((s) => s.case === target.number);
        if (mine?.state === 'synced' || mine?.state === 'refused') break;
      }
      const ms = performance.now() - start;
      const cpu = process.cpuUsage(cpuAtStart);
      const marks = phases.stop(start);
      if (mine?.state !== 'synced')
        throw new Error(`${target.number} is ${mine?.state ?? 'not queued'} after ${passes} passes`);
      // Every file of the package goes up (its tag files and report too), not only the evidence.
      const status = await engine.call('sync.status', {}, ctx);
      const files = status.versions.find((v) => v.caseId === target.caseId)?.files ?? [];
      const uploaded = files.filter((f) => f.done === 'uploaded');
      emit({
        event: 'synced',
        ms,
        passes,
        // Every thread of the process, user + system.
        cpuMs: (cpu.user + cpu.system) / 1000,
        bytesSent: mine.bytesSent,
        filesSent: mine.filesSent,
        packageFiles: files.length,
        uploadedBytes: uploaded.reduce((a, f) => a + f.size, 0),
        receiptSeq: mine.receipt?.seq ?? null,
        startRssBytes,
        peakRssBytes: peakReset ? peakRssBytes() : null,
        marks,
      });
    }
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
