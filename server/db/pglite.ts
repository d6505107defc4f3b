import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Sql } from './sql';
import { INT8_OID, parseInt8, withSavepoint } from './savepoints';

/**
 * PGlite's own start parameters (single-user mode and the settings it needs), plus a small buffer
 * cache. PostgreSQL's default of 128 MB of shared_buffers would live in the server's own process
 * here (WebAssembly memory, touched as it fills), which took the server past 400 MB at rest; the
 * server's tables are small and the operating system caches the database's files behind it anyway.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * V8 compiles PGlite's WebAssembly (all of PostgreSQL) with its baseline compiler and then again,
 * optimised, for the functions it finds hot; the optimised copies took 40–55 MB of the server's
 * resident memory at rest (measured: 270–280 MB against 220–235 MB), for queries that each take
 * well under a millisecond here. Baseline code only, then. The flag is read when a module is
 * compiled, so it is set before PGlite compiles its module; PostgreSQL over the network
 * (DATABASE_URL) never comes here and keeps V8's defaults.
 */
function keepWasmBaselineOnly(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * The embedded default: PostgreSQL compiled to WebAssembly, its files in `DIR/db`. One process
 * may open a data folder at a time (the server's folder lock makes sure of it), and PGlite has a
 * single connection, which it serialises: a transaction holds it from BEGIN to COMMIT, and every
 * query from outside waits for it. So `session` needs no connection of its own here, and
 * session-level advisory locks all belong to that one backend: they keep a second process out,
 * never a second request of this process.
 */
export async function openPglite(dataDir: string): Promise<Sql> {
  keepWasmBaselineOnly();
  const db = await PGlite.create(dataDir, { parsers: { [INT8_OID]: parseInt8 }, startParams: START_PARAMS });
  return wrapDatabase(db, dataDir);
}

/**
 * PGlite reaches the disk through Emscripten's NODEFS, which has no fsync: PostgreSQL's own
 * flushes go nowhere (with or without `-F`), and a power cut could take committed rows with it.
 * This flushes every file and folder of the database instead, the way `sync -f` would: files
 * with nothing dirty cost little, and it runs once per signed answer, not per query.
 */
async function syncTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await syncTree(path);
    else if (entry.isFile()) await syncPath(path);
  }
  await syncPath(dir);
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    // A file PostgreSQL removed meanwhile has nothing left to flush.
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!handle) return;
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function wrapDatabase(db: PGlite, dataDir: string): Sql {
  const self: Sql = {
    async query<T extends object>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await db.query<T>(text, [...params]);
      return result.rows;
    },
    transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(wrapTransaction(tx)));
    },
    session<T>(fn: (conn: Sql) => Promise<T>): Promise<T> {
      return fn(self);
    },
    flushToDisk(): Promise<void> {
      return syncTree(dataDir);
    },
    async close(): Promise<void> {
      if (!db.closed) await db.close();
    },
  };
  return self;
}

function wrapTransaction(tx: Transaction): Sql {
  const self: Sql = {
    async query<T extends object>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await tx.query<T>(text, [...params]);
      return result.rows;
    },
    transaction<T>(fn: (inner: Sql) => Promise<T>): Promise<T> {
      return withSavepoint(self, fn);
    },
    session<T>(fn: (conn: Sql) => Promise<T>): Promise<T> {
      return fn(self);
    },
    flushToDisk(): Promise<void> {
      return Promise.resolve();
    },
    close(): Promise<void> {
      return Promise.reject(new Error('a transaction cannot close its database'));
    },
  };
  return self;
}
