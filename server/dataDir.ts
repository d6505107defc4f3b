import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServerMessageError } from './commands/messages';

/**
 * Makes `DIR` (0700) and proves it writable by writing a file there: `access(W_OK)` says yes to
 * root on a read-only mount, and a server that finds out at its first upload is too late.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const probe = join(dataDir, `.write-probe-${randomBytes(6).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new ServerMessageError('dataDir.notWritable', { dir: dataDir, reason: (error as Error).message });
  }
}

/**
 * `DIR/server.lock`: PGlite's files may be opened by one process only, so the server and the
 * commands that open the database directly take this lock first. A lock whose process is gone is
 * taken over; one held by a live process is refused with its pid.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'server.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
      await handle.close();
      return {
        async release() {
          const holder = await readFile(path, 'utf8').catch(() => '');
          if (Number(holder.trim()) === process.pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new ServerMessageError('dataDir.locked', { dir: dataDir, pid: holder });
      }
      await rm(path, { force: true });
    }
  }
  throw new ServerMessageError('dataDir.locked', { dir: dataDir, pid: '?' });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
