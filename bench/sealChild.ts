import { readFileSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openBenchStation } from './lib/station';

/**
 * Child process of the seal figure: imports the source files into a fresh station (untimed), puts
 * them in one case, then times the seal and a folder export (written, fsynced, read back with
 * direct I/O and verified). The engine is opened as the engine process opens it, its report
 * worker kept warm; the import gives it time to be ready, as the work before a seal does.
 *
 * Reports JSON lines on stdout, ending with two peaks: the RSS high-water mark of the seal and
 * export alone (Linux: reset through /proc/self/clear_refs when the clock starts, read from
 * VmHWM when it stops; null where that is not possible) and getrusage maxRSS, which covers the
 * untimed import as well.
 */

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

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, source: { type: 'string' }, to: { type: 'string' } },
  });
  if (!values.data || !values.source || !values.to)
    throw new Error('usage: sealChild --data DIR --source DIR --to DIR');
  // As the engine process opens it (src/core/daemon/engineMain.ts): the report worker kept warm.
  const { engine, ctx } = await openBenchStation(values.data, undefined, undefined, { warmReport: true });
  try {
    const paths = (await readdir(values.source)).map((n) => join(values.source!, n));
    const { importId } = await engine.call('import.start', { paths, includeNonMedia: true }, ctx);
    const record = await engine.waitForImport(importId);
    const itemIds = record.files.flatMap((f) => (f.itemId ? [f.itemId] : []));
    if (itemIds.length !== paths.length) throw new Error(`imported ${itemIds.length} of ${paths.length} files`);
    const c = await engine.call('cases.create', { title: 'Bench case 夜市' }, ctx);
    await engine.call('cases.addItems', { caseId: c.id, itemIds }, ctx);
    emit({ event: 'ready', rssBytes: process.memoryUsage().rss });

    // The export's own progress events mark where its copy (read back as it goes) ends and the
    // verification of what is left begins; they change nothing in what is timed.
    let verifyAt: number | null = null;
    const off = engine.on('export.progress', (p) => {
      if (p.phase === 'verify') verifyAt ??= performance.now();
    });
    const peakReset = resetPeakRss();
    const start = performance.now();
    const sealed = await engine.call('cases.seal', { caseId: c.id }, ctx);
    const sealedAt = performance.now();
    const exported = await engine.call(
      'cases.export',
      { caseId: c.id, to: values.to, zip: false, jobId: 'bench-export-1' },
      ctx,
    );
    const end = performance.now();
    off();
    const sealExportPeakBytes = peakReset ? peakRssBytes() : null;
    emit({
      event: 'done',
      ms: end - start,
      sealMs: sealedAt - start,
      exportMs: end - sealedAt,
      exportCopyMs: (verifyAt ?? end) - sealedAt,
      exportVerifyMs: end - (verifyAt ?? end),
      packagePath: sealed.path,
      exportPath: exported.path,
      bytes: exported.bytes,
      // Linux reports maxRSS in KiB.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      sealExportPeakBytes,
    });
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
