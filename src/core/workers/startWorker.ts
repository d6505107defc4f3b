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
  return new Worker(entry, { ...options, workerData });
}
