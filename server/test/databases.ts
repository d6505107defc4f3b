import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type DatabaseKind } from '../db/open';
import { openPglite } from '../db/pglite';
import { openPostgres } from '../db/postgres';
import type { Sql } from '../db/sql';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from './postgresCluster';

/**
 * One server data folder and one empty database, of either kind: PGlite inside `dataDir/db`, or a
 * fresh database on this file's throwaway PostgreSQL cluster (named by `env.DATABASE_URL`, which
 * a server process started with `env` uses too).
 */
export interface TestDatabase {
  kind: DatabaseKind;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  /** Opened and migrated, as the server opens it. Close it before a PGlite server starts. */
  open(): Promise<Sql>;
  /** Opened without migrating (migration tests). */
  openRaw(): Promise<Sql>;
  cleanup(): Promise<void>;
}

export interface DatabaseFixture {
  kind: DatabaseKind;
  fresh(): Promise<TestDatabase>;
}

const KINDS: readonly DatabaseKind[] = ['pglite', 'postgres'];

/**
 * The shared-suite pattern: `suite` is declared once per database kind, so every server test that
 * touches the database runs on PGlite and on PostgreSQL. Without PostgreSQL binaries the second
 * half is skipped under a title that says why.
 */
export function describeEachDatabase(title: string, suite: (db: DatabaseFixture) => void): void {
  for (const kind of KINDS) {
    const skip = kind === 'postgres' ? postgresSkipReason() : null;
    if (skip) {
      describe.skip(`${title} [${kind}: skipped, ${skip}]`, () => suite(fixture(kind, () => null)));
      continue;
    }
    describe(`${title} [${kind}]`, () => {
      let cluster: PostgresCluster | null = null;
      const made: TestDatabase[] = [];
      beforeAll(async () => {
        if (kind === 'postgres') cluster = await startPostgresCluster();
      });
      afterAll(async () => {
        for (const db of made) await db.cleanup();
        await cluster?.stop();
      });
      const f = fixture(kind, () => cluster);
      suite({
        kind,
        fresh: async () => {
          const db = await f.fresh();
          made.push(db);
          return db;
        },
      });
    });
  }
}

function fixture(kind: DatabaseKind, cluster: () => PostgresCluster | null): DatabaseFixture {
  return {
    kind,
    async fresh() {
      const dataDir = await mkdtemp(join(tmpdir(), `es-server-${kind}-`));
      const env: NodeJS.ProcessEnv = { DATABASE_URL: '' };
      if (kind === 'postgres') {
        const c = cluster();
        if (!c) throw new Error('the PostgreSQL cluster is not running');
        env.DATABASE_URL = await c.createDatabase();
      }
      const opened: Sql[] = [];
      const track = (sql: Sql): Sql => {
        opened.push(sql);
        return sql;
      };
      return {
        kind,
        dataDir,
        env,
        open: async () => track((await openDatabase(dataDir, env)).sql),
        openRaw: async () =>
          track(
            kind === 'postgres'
              ? await openPostgres({ connectionString: env.DATABASE_URL! })
              : await openPglite(join(dataDir, 'db')),
          ),
        async cleanup() {
          for (const sql of opened) await sql.close().catch(() => undefined);
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}
