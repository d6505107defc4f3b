import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeChainHead } from '../../src/core/custody/chainHead';
import { GENESIS_HASH, lastCustody } from '../../src/core/custody/custodyLog';
import { inTransaction, openDatabase, type WritableDB } from '../../src/core/db/database';
import { createEngine } from '../../src/core/engine';
import type { Logger } from '../../src/core/engineApi';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';
import { makeThumbnail } from '../../src/core/media/derive/derive';
import { runProcess } from '../../src/core/media/tools/runProcess';
import { readSettings } from '../../src/core/station/stationRepo';
import { stationLayout } from '../../src/core/store/layout';
import { insertSyntheticLibrary, type SharedThumbnail, type SyntheticLibrary } from './syntheticLibrary';

/**
 * A station with a large library in seconds, for the bench and the scale e2e: the engine creates
 * the data directory (migrations, station id, chain head, first admin), then a second connection
 * inserts a synthetic library through the repository functions, as a bulk loader would.
 *
 *   const seeded = await seedLibrary(dataDir, { count: 100_000, admin, thumbnails: true });
 *
 * Call it before any host opens `dataDir`: the host's chain-head writer would not know of the
 * entries added behind its back.
 */

export interface SeedAdmin {
  name: string;
  password: string;
  displayName?: string;
}

export interface SeedLibraryOptions {
  count: number;
  /** Creates the first administrator, so a host opens on the sign-in screen instead of setup. */
  admin?: SeedAdmin;
  /**
   * Makes one real poster with the engine's own thumbnailer (ffmpeg, from a generated frame) and
   * points every video and photo at it; without it no item has a thumbnail.
   */
  thumbnails?: boolean;
  /** Items per transaction. 100,000 in one transaction was no faster and left a 400 MB WAL. */
  batch?: number;
}

export interface SeededLibrary extends SyntheticLibrary {
  /** Time spent inserting rows and indexing their search text; engine start and thumbnail excluded. */
  insertMs: number;
}

/** The engine's info lines would drown a test's output; warnings and errors still reach stderr. */
const quietLogger: Logger = {
  info: () => undefined,
  warn: (message, fields) => process.stderr.write(`seed warn: ${message} ${JSON.stringify(fields ?? {})}\n`),
  error: (message, fields) => process.stderr.write(`seed error: ${message} ${JSON.stringify(fields ?? {})}\n`),
};

const DEFAULT_BATCH = 10_000;
/** Where the shared poster lives, inside the derived directory like any other derived file. */
const SHARED_THUMBNAIL_DIR = 'seed';

export async function seedLibrary(dataDir: string, opts: SeedLibraryOptions): Promise<SeededLibrary> {
  const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger });
  try {
    if (opts.admin) await engine.call('auth.setupAdmin', opts.admin, { sessionId: null, via: 'test' });
  } finally {
    await engine.close();
  }

  const layout = stationLayout(dataDir);
  const thumbnail = opts.thumbnails ? await makeSharedThumbnail(layout.derivedDir) : null;
  const db = withStatementCache(openDatabase(layout.database));
  try {
    // Seeded rows are disposable: no waiting for each commit to reach the disk, and a page cache
    // (256 MiB) that holds the growing indexes.
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -262144');
    const station = readSettings(db).stationName;
    const started = performance.now();
    const library = withSearchIndexRebuiltAfter(db, () =>
      insertSyntheticLibrary(db, opts.count, { station, thumbnail, batch: opts.batch ?? DEFAULT_BATCH }),
    );
    const insertMs = performance.now() - started;
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The head file is how the engine notices a shortened chain; it must know the seeded entries.
    await writeChainHead(layout.chainHead, lastCustody(db) ?? { seq: 0, hash: GENESIS_HASH });
    return { ...library, insertMs };
  } finally {
    db.close();
  }
}

/**
 * The repository functions prepare their statement on every call, which is most of the cost of
 * 100,000 inserts; on this loader connection each SQL text is prepared once.
 */
function withStatementCache(db: WritableDB): WritableDB {
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * FTS5 indexes trigrams row by row several times slower than it rebuilds the whole index, so the
 * triggers that feed `items_fts` on insert are set aside while `fn` inserts and put back, from
 * their own stored SQL, after one rebuild (the way migration 20 filled the index). A seed that
 * dies halfway leaves a database without those triggers: it is throwaway test data.
 */
function withSearchIndexRebuiltAfter<T>(db: WritableDB, fn: () => T): T {
  const triggers = db
    .prepare(
      `SELECT name, sql FROM sqlite_master
       WHERE type = 'trigger' AND tbl_name = 'items' AND sql LIKE '%AFTER INSERT%' AND sql LIKE '%items_fts%'`,
    )
    .all() as { name: string; sql: string }[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER "${trigger.name}"`);
  const result = fn();
  if (triggers.length > 0) {
    inTransaction(db, () => {
      db.exec(`INSERT INTO items_fts (items_fts) VALUES ('rebuild')`);
      for (const trigger of triggers) db.exec(trigger.sql);
    });
  }
  return result;
}

async function makeSharedThumbnail(derivedDir: string): Promise<SharedThumbnail> {
  const tools = await resolveMediaTools();
  const out = join(derivedDir, SHARED_THUMBNAIL_DIR, 'thumbnail.jpg');
  await mkdir(join(derivedDir, SHARED_THUMBNAIL_DIR), { recursive: true });
  const scratch = await mkdtemp(join(derivedDir, SHARED_THUMBNAIL_DIR, 'frame-'));
  try {
    const frame = join(scratch, 'frame.png');
    await runProcess(
      tools.ffmpeg.path,
      ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080', '-frames:v', '1', frame],
      { timeoutMs: 30_000 },
    );
    const made = await makeThumbnail(tools, frame, out, { atSec: 0 });
    const sha256 = createHash('sha256')
      .update(await readFile(out))
      .digest('hex');
    return {
      file: relative(derivedDir, out),
      sha256,
      provenance: {
        variant: 'thumbnail',
        tool: made.tool,
        toolVersion: made.toolVersion,
        args: made.args,
        seeded: true,
      },
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
