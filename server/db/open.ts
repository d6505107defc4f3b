import { join } from 'node:path';
import { migrate } from './migrate';
import type { Sql } from './sql';

export type DatabaseKind = 'pglite' | 'postgres';

export interface OpenedDatabase {
  sql: Sql;
  kind: DatabaseKind;
}

/**
 * The server's database: PostgreSQL when `DATABASE_URL` is set, else PGlite in `DIR/db`. Opened
 * and migrated to the newest schema; the adapters are loaded only when chosen, so a PostgreSQL
 * deployment never loads the WebAssembly build.
 */
export async function openDatabase(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  onError?: (error: Error) => void,
): Promise<OpenedDatabase> {
  const url = env.DATABASE_URL?.trim();
  let opened: OpenedDatabase;
  if (url) {
    const { openPostgres } = await import('./postgres');
    opened = { sql: await openPostgres({ connectionString: url, onError }), kind: 'postgres' };
  } else {
    const { openPglite } = await import('./pglite');
    opened = { sql: await openPglite(join(dataDir, 'db')), kind: 'pglite' };
  }
  try {
    await migrate(opened.sql);
  } catch (error) {
    await opened.sql.close().catch(() => undefined);
    throw error;
  }
  return opened;
}
