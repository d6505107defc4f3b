import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

/**
 * One engine owns a data directory. The lock is an exclusive SQLite lock on `engine.lock` (SQLite
 * takes POSIX advisory locks on Unix and LockFileEx on Windows), held for the engine's lifetime:
 * the operating system drops it when the process ends in any way, SIGKILL included, so a dead
 * owner never leaves a stale lock behind. Node has no flock; SQLite's locks are the portable,
 * dependency-free way to the same guarantee. The lock is taken before recovery, so recovery never
 * runs on a directory another process is using.
 */

export const OwnerRecord = z.object({
  pid: z.number().int(),
  hostname: z.string(),
  since: z.string(),
  /** Where the owner serves the contract to other processes (Unix socket or Windows pipe). */
  socketPath: z.string(),
  version: z.string(),
});
export type OwnerRecord = z.infer<typeof OwnerRecord>;

export interface EngineLock {
  readonly owner: OwnerRecord;
  /** Releases the lock and removes the owner record. */
  release(): Promise<void>;
}

export function lockPaths(dataDir: string): { lock: string; owner: string } {
  return { lock: join(dataDir, 'engine.lock'), owner: join(dataDir, 'engine-owner.json') };
}

/**
 * Takes the data directory's exclusive lock or throws `station.inUse` naming the owner. Never
 * waits: a busy station is reported at once, not after a timeout.
 */
export async function acquireEngineLock(
  dataDir: string,
  owner: Omit<OwnerRecord, 'pid' | 'hostname' | 'since'> & { since: string },
  opts: { nativeBinding?: string } = {},
): Promise<EngineLock> {
  const paths = lockPaths(dataDir);
  // Created 0600 before SQLite opens it (SQLite would create it with the process umask).
  await writeFile(paths.lock, '', { flag: 'a', mode: 0o600 });
  const db = takeLock(paths.lock, opts);
  if (!db) throw inUseError(await readOwnerRecord(dataDir));
  const record: OwnerRecord = { ...owner, pid: process.pid, hostname: hostname() };
  // The record is only a name for the lock holder: written after the lock, replaced atomically.
  const temp = `${paths.owner}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, paths.owner);
  let released = false;
  return {
    owner: record,
    async release() {
      if (released) return;
      released = true;
      // The record goes first: once the lock is free, a new owner may write its own.
      await rm(paths.owner, { force: true });
      db.close();
    },
  };
}

/** The lock itself: the open connection holds it until closed; null when another process holds it. */
function takeLock(file: string, opts: { nativeBinding?: string }): Database.Database | null {
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma('busy_timeout = 0');
    // Rollback journal: in WAL mode an exclusive transaction would not keep readers out.
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if (isBusy(error)) return null;
    throw error;
  }
}

/**
 * A shared hold on the lock, for a read that must not run beside an engine (see
 * station/stationAtRest.ts): no engine can take the lock while one is held (its start is refused
 * as `station.inUse` and tries again), several reads may hold it together, and nothing is written:
 * the file is opened read-only, and a read in SQLite's exclusive locking mode keeps its shared
 * lock until the connection closes. Null when the directory has no lock file or an engine holds
 * the lock. `release` may be called more than once.
 */
export function holdEngineLockToRead(dataDir: string): { release(): void } | null {
  const { lock } = lockPaths(dataDir);
  if (!existsSync(lock)) return null;
  const db = new Database(lock, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    db.close();
    if (isBusy(error)) return null;
    throw error;
  }
  return {
    release() {
      if (db.open) db.close();
    },
  };
}

/** The owner record as written by the current (or a dead) owner; null when absent or unreadable. */
export async function readOwnerRecord(dataDir: string): Promise<OwnerRecord | null> {
  const text = await readFile(lockPaths(dataDir).owner, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = OwnerRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function inUseError(owner: OwnerRecord | null): AppError {
  return new AppError('station.inUse', {
    pid: owner?.pid ?? '?',
    host: owner?.hostname ?? '?',
    since: owner?.since ?? '?',
  });
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}
