import { parseArgs } from 'node:util';
import { openBenchStation } from './lib/station';

/**
 * Child process of the memory figure: imports one file into a fresh station and reports, as JSON
 * lines on stdout, its RSS once the engine is open and its peak RSS (getrusage maxRSS) at the end.
 * Run alone so the peak belongs to the import and nothing else.
 */

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      source: { type: 'string' },
      'include-non-media': { type: 'boolean', default: false },
    },
  });
  if (!values.data || !values.source) throw new Error('usage: importChild --data DIR --source FILE');
  const { engine, ctx } = await openBenchStation(values.data);
  try {
    emit({ event: 'ready', rssBytes: process.memoryUsage().rss });
    const start = performance.now();
    const { importId } = await engine.call(
      'import.start',
      { paths: [values.source], includeNonMedia: values['include-non-media'] },
      ctx,
    );
    const record = await engine.waitForImport(importId);
    emit({
      event: 'done',
      ms: performance.now() - start,
      state: record.state,
      counts: record.counts,
      safeToWipe: record.safeToWipe,
      // Linux reports maxRSS in KiB.
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      rssBytes: process.memoryUsage().rss,
    });
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
