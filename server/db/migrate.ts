import type { Migration } from './migrations/migration';
import { MIGRATIONS } from './migrations';
import type { Sql } from './sql';

export class DatabaseFromFutureError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the database is at server schema version ${found}, newer than this server knows (${known})`);
    this.name = 'DatabaseFromFutureError';
  }
}

/**
 * A fixed advisory-lock key (the ASCII of "ESmigrat"): instances that start together on one
 * PostgreSQL take turns, so each migration is applied once. Transaction-scoped, so it cannot leak.
 */
const MIGRATION_LOCK = 0x45536d6967726174n;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS server_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

export async function schemaVersion(sql: Sql): Promise<number> {
  const exists = await sql.query<{ present: boolean }>(
    `SELECT to_regclass('server_migrations') IS NOT NULL AS present`,
  );
  if (!exists[0]?.present) return 0;
  const rows = await sql.query<{ version: number | null }>('SELECT max(version) AS version FROM server_migrations');
  return rows[0]?.version ?? 0;
}

/**
 * Brings the schema up to the newest migration (or `target`). Each migration runs in its own
 * transaction together with its row in `server_migrations`, so a failure leaves the previous
 * version whole. Returns the version reached.
 */
export async function migrate(
  sql: Sql,
  options: { target?: number; migrations?: readonly Migration[] } = {},
): Promise<number> {
  const migrations = options.migrations ?? MIGRATIONS;
  let last = 0;
  for (const m of migrations) {
    if (m.version !== last + 1) throw new Error(`server migration versions must rise by one: ${m.version} after ${last}`);
    last = m.version;
  }
  const newest = options.target ?? last;
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await tx.query(CREATE_TABLE);
  });
  for (const m of migrations) {
    if (m.version > newest) break;
    await sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
      const current = await schemaVersion(tx);
      if (current > last) throw new DatabaseFromFutureError(current, last);
      if (m.version <= current) return;
      for (const statement of m.statements) await tx.query(statement);
      if (m.after) await m.after(tx);
      await tx.query('INSERT INTO server_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
  }
  const reached = await schemaVersion(sql);
  if (reached > last) throw new DatabaseFromFutureError(reached, last);
  return reached;
}
