import { rm, writeFile } from 'node:fs/promises';
import type { ImportRecord } from '../../src/shared/schemas';
import { openBenchStation } from './station';

export interface TimedImport {
  dataDir: string;
  /** From the `import.start` call to `waitForImport` resolving. */
  ms: number;
  record: ImportRecord;
  /**
   * Per file, ms from the start: when its copy was whole and fsynced, its last slice about to be
   * read back (the earlier slices were read back while the copy went on).
   */
  storedAtMs: number[];
  /** Per file, ms from the start: when its outcome was committed (`import.fileDone`). */
  doneAtMs: number[];
}

/**
 * Where an import's time went, summed over its files, from exact marks (not throttled progress).
 * Files go through a pipeline (a copy while earlier files are probed and committed), so the two
 * per-file spans overlap: for one file they add up to its import, for many they add up to more.
 */
export interface ImportSpans {
  /**
   * The copy stage: from the previous file's copy being whole (or the start) until this one's is
   * whole and fsynced: classification, hashing copy, flushes, the read-back of every slice but
   * the last. Summed over files, the time until the last copy was whole.
   */
  copyMs: number;
  /**
   * Fsynced until committed, each file's own wait: read-back of the last slice, compare, rename,
   * probe (and waiting for a probe slot), its group's SQLite transaction.
   */
  verifyProbeRecordMs: number;
  /** Before the first file (scan, free-space check, custody entry) is in copyMs; this is after the last. */
  finishMs: number;
}

export function importSpans(run: TimedImport): ImportSpans {
  let copyMs = 0;
  let verifyProbeRecordMs = 0;
  let previousStored = 0;
  // Both lists are in the order the import found the files: copies run one at a time in that
  // order, and outcomes are committed in it.
  run.doneAtMs.forEach((done, i) => {
    const stored = run.storedAtMs[i] ?? done;
    copyMs += stored - previousStored;
    verifyProbeRecordMs += done - stored;
    previousStored = stored;
  });
  const lastDone = run.doneAtMs.length > 0 ? Math.max(...run.doneAtMs) : 0;
  return { copyMs, verifyProbeRecordMs, finishMs: run.ms - lastDone };
}

/**
 * Imports `paths` into a fresh station at `dataDir` exactly as a host does: `import.start`, then
 * wait for the record. Opening the station, signing in (scrypt) and one untimed import of a tiny
 * file happen before the clock starts: a station that has been open a while has its hashing
 * workers running, and under tsx (TypeScript compiled on load) their start-up alone takes some
 * tenths of a second that a built app does not spend.
 */
export async function timeImport(dataDir: string, paths: string[], includeNonMedia: boolean): Promise<TimedImport> {
  let start = 0;
  let timing = false;
  const storedAtMs: number[] = [];
  const doneAtMs: number[] = [];
  const { engine, ctx } = await openBenchStation(dataDir, () => {
    if (timing) storedAtMs.push(performance.now() - start);
  });
  try {
    const warmup = `${dataDir}-warmup.bin`;
    await writeFile(warmup, 'warm-up');
    try {
      const first = await engine.call('import.start', { paths: [warmup], includeNonMedia: true }, ctx);
      assertAllStored(await engine.waitForImport(first.importId), 1);
    } finally {
      await rm(warmup, { force: true });
    }
    timing = true;
    const off = engine.on('import.fileDone', () => doneAtMs.push(performance.now() - start));
    start = performance.now();
    const { importId } = await engine.call('import.start', { paths, includeNonMedia }, ctx);
    const record = await engine.waitForImport(importId);
    const ms = performance.now() - start;
    off();
    return { dataDir, ms, record, storedAtMs, doneAtMs };
  } finally {
    await engine.close();
  }
}

/** Throws unless every source ended stored and verified: a fast import that failed proves nothing. */
export function assertAllStored(record: ImportRecord, expectedFiles: number): void {
  const stored = (record.counts.imported ?? 0) + (record.counts.undecodable ?? 0);
  if (record.state !== 'completed' || stored !== expectedFiles || !record.safeToWipe) {
    throw new Error(
      `import did not store every file: state ${record.state}, counts ${JSON.stringify(record.counts)}, ` +
        `first problem: ${JSON.stringify(record.files.find((f) => f.status === 'failed') ?? null)}`,
    );
  }
}
