import { parseArgs } from 'node:util';
import { createEngine } from '../src/core/engine';
import { LibraryQuery } from '../src/shared/schemas';
import { BENCH_ADMIN, BENCH_PASSWORD, quietLogger } from './lib/station';

/**
 * Child process of the library figure's cold start: a fresh process opens an existing station,
 * signs in, and runs the first library query, then the same query again. Prints one JSON line:
 * when each step ended, in milliseconds since the process started (`performance.now()`).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string' }, query: { type: 'string' } } });
  if (!values.data || !values.query) throw new Error('usage: libraryColdChild --data DIR --query JSON');
  const input = LibraryQuery.parse(JSON.parse(values.query));
  const loadedMs = performance.now();
  const engine = await createEngine({ dataDir: values.data, runJobs: false, log: quietLogger });
  try {
    const openedMs = performance.now();
    const session = await engine.call(
      'auth.signIn',
      { name: BENCH_ADMIN, password: BENCH_PASSWORD },
      { sessionId: null, via: 'test' },
    );
    const ctx = { sessionId: session.sessionId, via: 'test' } as const;
    const signedInMs = performance.now();
    const first = await engine.call('library.query', input, ctx);
    const firstMs = performance.now();
    await engine.call('library.query', input, ctx);
    const secondMs = performance.now();
    if (first.total === 0) throw new Error('the cold query matched nothing');
    process.stdout.write(
      `${JSON.stringify({
        loadedMs,
        openMs: openedMs - loadedMs,
        signInMs: signedInMs - openedMs,
        firstQueryMs: firstMs - signedInMs,
        secondQueryMs: secondMs - firstMs,
        sinceStartMs: firstMs,
      })}\n`,
    );
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
