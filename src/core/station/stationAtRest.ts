import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../shared/errors';
import { socketPathState } from '../daemon/socketBlocker';
import { engineSocketPath } from '../daemon/socketPath';
import type { ReadableDB } from '../db/database';
import { SCHEMA_VERSION } from '../db/schemaVersion';
import { stationLayout, type StationLayout } from '../store/layout';
import { holdEngineLockToRead, lockPaths } from './engineLock';

/**
 * A station opened to be read with no engine: a shared hold on its lock (no engine starts
 * meanwhile; other reads may share it), its database opened immutable (no lock, no WAL, no -shm:
 * not one byte written to the directory).
 * `close` closes the database and releases the lock.
 */
export interface StationAtRest {
  readonly layout: StationLayout;
  readonly db: ReadableDB;
  close(): void;
}

/**
 * Why a read cannot be done at rest; the caller then opens the engine as every other command
 * does, which works through a running owner, recovers an unclean end first, or creates the
 * station, exactly as before.
 */
export type NotAtRest =
  /** An engine owns the station, or is starting. */
  | 'inUse'
  /** No data directory, no lock file or no database yet: the engine creates them. */
  | 'notCreated'
  /** A non-empty write-ahead log, a rollback journal, owner record or socket left: recovery first. */
  | 'uncleanEnd'
  /** This process loaded SQLite before URI file names could be enabled (see openImmutable). */
  | 'noUriSupport';

/**
 * Opens `dataDir` for reading without an engine, when it is at rest: no process owns it and the
 * last one closed it cleanly (SQLite empties and removes `station.db-wal` and the engine removes
 * its owner record and socket only on a clean close, so any of them left behind means recovery
 * is due; the engine runs it). A schema this build does not read (older: read-only commands never migrate; newer)
 * is refused with `station.schemaOlder`/`station.schemaNewer`.
 */
export async function openStationAtRest(dataDir: string): Promise<StationAtRest | NotAtRest> {
  const layout = stationLayout(resolve(dataDir));
  if (!existsSync(layout.database)) return 'notCreated';
  const lock = withUriFilenames(() => holdEngineLockToRead(layout.root));
  if (!lock) return existsSync(lockPaths(layout.root).lock) ? 'inUse' : 'notCreated';
  let db: ReadableDB | null = null;
  try {
    // Checked under the lock: no engine can leave or remove them while it is held. An empty WAL
    // holds nothing the database file lacks (a plain read-only SQLite reader leaves one behind).
    const walBytes = statSync(`${layout.database}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (walBytes > 0 || existsSync(`${layout.database}-journal`) || existsSync(lockPaths(layout.root).owner)) {
      lock.release();
      return 'uncleanEnd';
    }
    if ((await socketPathState(engineSocketPath(layout.root))) !== 'absent') {
      lock.release();
      return 'uncleanEnd';
    }
    db = openImmutable(layout.database);
    if (!db) {
      lock.release();
      return 'noUriSupport';
    }
    const found = db.pragma('user_version', { simple: true }) as number;
    if (found !== SCHEMA_VERSION) {
      throw new AppError(found < SCHEMA_VERSION ? 'station.schemaOlder' : 'station.schemaNewer', {
        found,
        known: SCHEMA_VERSION,
      });
    }
  } catch (error) {
    db?.close();
    lock.release();
    throw error;
  }
  const open = db;
  return {
    layout,
    db: open,
    close() {
      if (open.open) open.close();
      lock.release();
    },
  };
}

/**
 * better-sqlite3 takes URI file names (needed for `immutable=1`) only when SQLITE_USE_URI=1 is in
 * the environment as its native addon loads, at the first `new Database` of the process. Set for
 * that moment only, so no child process inherits it.
 */
function withUriFilenames<T>(fn: () => T): T {
  const before = process.env.SQLITE_USE_URI;
  process.env.SQLITE_USE_URI = '1';
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.SQLITE_USE_URI;
    else process.env.SQLITE_USE_URI = before;
  }
}

/**
 * The database read-only and immutable: SQLite takes no lock and reads no WAL, so it writes
 * nothing (a plain read-only open of a WAL database creates `-wal` and `-shm` and leaves them).
 * Safe only while the engine lock is held and no WAL exists. Null when URI file names are off in
 * this process (its SQLite was loaded earlier without them).
 */
function openImmutable(file: string): ReadableDB | null {
  const uri = `${pathToFileURL(file).href}?immutable=1`;
  try {
    return new Database(uri, { readonly: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_CANTOPEN') return null;
    throw error;
  }
}
