import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { readOwnerRecord } from '../../src/core/station/engineLock';
import { AppError } from '../../src/shared/errors';
import { REPO_ROOT } from './cliRunner';
import { makeTempDir, quietLogger, removeTree } from './harness';

/**
 * One engine owns a data directory: a second one, in another process or this one, is refused with
 * the owner's name, and the operating system frees the lock when the owner is SIGKILLed.
 */

let dataDir: string;

beforeAll(async () => {
  dataDir = await makeTempDir('lock');
});
afterAll(async () => {
  await removeTree(dataDir);
});

const HOLDER = `
import { createEngine } from './src/core/engine.ts';
const engine = await createEngine({ dataDir: process.argv[1], runJobs: false, log: { info() {}, warn() {}, error() {} } });
process.stdout.write('ready ' + engine.owner.pid + '\\n');
setInterval(() => undefined, 60_000);
`;

function startHolder(dir: string): Promise<{ pid: number; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', HOLDER, dir], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /ready (\d+)/.exec(out);
      if (match)
        resolve({
          pid: Number(match[1]),
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
    });
    void exited.then(() => reject(new Error('the lock holder ended before it was ready')));
  });
}

describe('the engine lock', () => {
  it('refuses a second engine while one runs, naming the owner, and is freed by SIGKILL', async () => {
    const holder = await startHolder(dataDir);
    expect(holder.pid).not.toBe(process.pid);
    const owner = await readOwnerRecord(dataDir);
    expect(owner).toMatchObject({ pid: holder.pid, hostname: hostname() });

    const refused = await createEngine({ dataDir, runJobs: false, log: quietLogger() }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'station.inUse', params: { pid: holder.pid, host: hostname() } });
    // The refused start changed nothing: the record still names the holder.
    expect((await readOwnerRecord(dataDir))?.pid).toBe(holder.pid);

    await holder.kill();
    // The record of the dead owner is still there, but the lock is not: the next start takes over.
    const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
    expect(engine.owner.pid).toBe(process.pid);
    expect((await readOwnerRecord(dataDir))?.pid).toBe(process.pid);
    await engine.close();
    expect(await readOwnerRecord(dataDir)).toBeNull();
  });

  it('refuses a second engine in the same process too', async () => {
    const first = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
    try {
      await expect(createEngine({ dataDir, runJobs: false, log: quietLogger() })).rejects.toMatchObject({
        code: 'station.inUse',
      });
    } finally {
      await first.close();
    }
    const again = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
    await again.close();
  });
});
