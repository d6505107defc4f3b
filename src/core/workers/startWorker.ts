import { Worker, type ResourceLimits } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/**
 * Starts a worker thread from a module next to the caller. From source, `entry` is a `.ts` file
 * and goes through the TypeScript bootstrap; in a bundle it is the compiled `.js` beside it.
 */
export function startWorker(
  entry: URL,
  workerData: Record<string, unknown> = {},
  options: { resourceLimits?: ResourceLimits } = {},
): Worker {
  const path = fileURLToPath(entry);
  if (path.endsWith('.ts')) {
    return new Worker(new URL('./tsWorkerBootstrap.mjs', import.meta.url), {
      ...options,
      workerData: { ...workerData, __entry: entry.href },
    });
  }
  const flags = sourceMapFlags();
  // Only when there is a flag to add: Node validates an explicit execArgv, so none is passed otherwise.
  return new Worker(entry, {
    ...options,
    workerData,
    ...(flags.length ? { execArgv: [...process.execArgv, ...flags] } : {}),
  });
}

/**
 * A worker thread or child process does not inherit `process.setSourceMapsEnabled(true)` (what
 * the bin calls before loading the build); the flag carries it over, so their stack traces name
 * the .ts files too.
 */
export function sourceMapFlags(): string[] {
  return process.sourceMapsEnabled && !process.execArgv.includes('--enable-source-maps')
    ? ['--enable-source-maps']
    : [];
}
