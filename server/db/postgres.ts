import pg from 'pg';
import type { Sql } from './sql';
import { INT8_OID, parseInt8, withSavepoint } from './savepoints';

/**
 * PostgreSQL through a connection pool, when `DATABASE_URL` is set. Several server instances may
 * share one database: everything that must happen once (a nonce consumed, an enrolment code used,
 * a migration applied) is decided inside the database, never in one process's memory.
 */
export interface PostgresOptions {
  connectionString: string;
  /** Connections kept at most; uploads hold one each for their advisory lock. */
  max?: number;
  onError?: (error: Error) => void;
}

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return format === undefined ? pg.types.getTypeParser(oid) : pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export async function openPostgres(options: PostgresOptions): Promise<Sql> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max ?? 20, types: typeParsers });
  // An idle connection that the database drops must not crash the server: the pool replaces it.
  pool.on('error', (error) => options.onError?.(error));
  // Fail at start, with the driver's reason, rather than at the first request.
  const probe = await pool.connect().catch(async (error: unknown) => {
    await pool.end().catch(() => undefined);
    throw error;
  });
  probe.release();
  return {
    async query<T extends object>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      const result = await pool.query<T & pg.QueryResultRow>(text, [...params]);
      return result.rows;
    },
    async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await inTransaction(client, fn);
      } finally {
        client.release();
      }
    },
    async session<T>(fn: (conn: Sql) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        return await fn(wrapClient(client));
      } finally {
        // Session locks must not outlive the session on a pooled connection that someone else
        // picks up next; a connection we cannot clean goes back destroyed.
        const cleaned = await client.query('SELECT pg_advisory_unlock_all()').then(
          () => true,
          () => false,
        );
        client.release(!cleaned);
      }
    },
    // PostgreSQL's own COMMIT waited for its WAL to reach the disk.
    flushToDisk: () => Promise.resolve(),
    async close(): Promise<void> {
      await pool.end();
    },
  };
}

async function inTransaction<T>(client: pg.PoolClient, fn: (tx: Sql) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn(wrapTransaction(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function clientQuery(client: pg.PoolClient) {
  return async <T extends object>(text: string, params: readonly unknown[] = []): Promise<T[]> => {
    const result = await client.query<T & pg.QueryResultRow>(text, [...params]);
    return result.rows;
  };
}

/** One held connection outside a transaction (`session`). */
function wrapClient(client: pg.PoolClient): Sql {
  const self: Sql = {
    query: clientQuery(client),
    transaction: (fn) => inTransaction(client, fn),
    session: (fn) => fn(self),
    flushToDisk: () => Promise.resolve(),
    close: () => Promise.reject(new Error('a session cannot close the pool')),
  };
  return self;
}

function wrapTransaction(client: pg.PoolClient): Sql {
  const self: Sql = {
    query: clientQuery(client),
    transaction: (fn) => withSavepoint(self, fn),
    session: (fn) => fn(self),
    flushToDisk: () => Promise.resolve(),
    close: () => Promise.reject(new Error('a transaction cannot close the pool')),
  };
  return self;
}
