import type { StationEngine } from '../../src/core/engine';
import { createEngine } from '../../src/core/engine';
import type { CallContext, EngineOptions, Logger } from '../../src/core/engineApi';

export const BENCH_ADMIN = 'bench';
export const BENCH_PASSWORD = 'bench-password-1';

/** Warnings and errors still reach stderr; info lines would drown the tables. */
export const quietLogger: Logger = {
  info: () => undefined,
  warn: (message, fields) => process.stderr.write(`warn: ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) => process.stderr.write(`error: ${message} ${JSON.stringify(fields ?? {})}\n`),
};

export interface BenchStation {
  engine: StationEngine;
  /** A signed-in admin session, as a host would hold it. */
  ctx: CallContext;
}

/**
 * A fresh station with its first admin signed in; background media jobs off so they do not compete.
 * `onStored` only notes the time: it uses the engine's beforeVerify seam, which runs after each
 * flushed slice of a copy, and is called for the last one (the copy whole and fsynced, its last
 * slice about to be read back; the earlier slices were read back during the copy). It changes
 * nothing. `log` receives the engine's log lines (by default only warnings and errors, on stderr).
 * `options.warmReport` is set where the figure stands for the engine process, which sets it;
 * `options.sync` tunes the sync worker (the upload figure's experiments with its chunk size).
 */
export async function openBenchStation(
  dataDir: string,
  onStored?: () => void,
  log: Logger = quietLogger,
  options: Pick<EngineOptions, 'warmReport' | 'sync' | 'ffmpegPath' | 'ffprobePath'> = {},
): Promise<BenchStation> {
  const engine = await createEngine({
    ...options,
    dataDir,
    runJobs: false,
    log,
    ...(onStored
      ? {
          testHooks: {
            beforeVerify: async (_path, slice) => {
              if (slice.last) onStored();
            },
          },
        }
      : {}),
  });
  try {
    const session = await engine.call(
      'auth.setupAdmin',
      { name: BENCH_ADMIN, password: BENCH_PASSWORD },
      { sessionId: null, via: 'test' },
    );
    return { engine, ctx: { sessionId: session.sessionId, via: 'test' } };
  } catch (error) {
    await engine.close();
    throw error;
  }
}
