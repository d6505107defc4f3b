import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/databases';

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, 'test', 'flushChild.ts');

function straceMissing(): string | null {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'strace is not installed';
  }
}

/**
 * The fsync calls a child process makes on files under `dir`, between its "COMMITTED" and
 * "FLUSHED" lines (strace follows every thread: PGlite writes from the main one).
 */
async function fsyncsUnder(dir: string, mode: 'flush' | 'none'): Promise<number> {
  const trace = join(dir, '..', `trace-${mode}.txt`);
  await run(
    'strace',
    [
      '-f',
      '-y',
      '-e',
      'trace=fsync,fdatasync,write',
      '-o',
      trace,
      process.execPath,
      '--import',
      'tsx',
      CHILD,
      dir,
      mode,
    ],
    { cwd: join(import.meta.dirname, '..', '..') },
  );
  const lines = (await readFile(trace, 'utf8')).split('\n');
  const start = lines.findIndex((l) => l.includes('COMMITTED'));
  const end = lines.findIndex((l) => l.includes('FLUSHED'));
  return lines.slice(start, end).filter((l) => /\b(fsync|fdatasync)\(\d+</.test(l) && l.includes(dir)).length;
}

describe('PGlite and the disk', () => {
  const skip = straceMissing();
  it.skipIf(skip !== null)(
    `commits never reach the disk by themselves, and flushToDisk syncs the database's files${skip ? ` [skipped: ${skip}]` : ''}`,
    async () => {
      const root = await mkdtemp(join(tmpdir(), 'es-pglite-flush-'));
      try {
        // Emscripten's file layer has no fsync: PostgreSQL's own flushes at COMMIT go nowhere.
        expect(await fsyncsUnder(join(root, 'a'), 'none')).toBe(0);
        expect(await fsyncsUnder(join(root, 'b'), 'flush')).toBeGreaterThan(10);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describeEachDatabase('flushToDisk', (db) => {
  it('keeps what was committed across a close and a reopen, and does nothing inside a transaction', async () => {
    const t = await db.fresh();
    let sql = await t.openRaw();
    await sql.query('CREATE TABLE kept (n int)');
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO kept VALUES (7)');
      await tx.flushToDisk();
    });
    await sql.flushToDisk();
    await sql.close();
    sql = await t.openRaw();
    expect(await sql.query<{ n: number }>('SELECT n FROM kept')).toEqual([{ n: 7 }]);
    await sql.close();
  });
});
