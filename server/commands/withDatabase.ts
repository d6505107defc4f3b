import { lockDataDir, prepareDataDir } from '../dataDir';
import { openDatabase } from '../db/open';
import type { Sql } from '../db/sql';
import { ServerMessageError } from './messages';

/**
 * Runs `fn` on the server's database opened by this command (no server is running, or the
 * database is PostgreSQL, which any number of processes may open). PGlite's folder is locked for
 * the command's run.
 */
export async function withDatabase<T>(dataDir: string, env: NodeJS.ProcessEnv, fn: (sql: Sql) => Promise<T>): Promise<T> {
  await prepareDataDir(dataDir);
  const lock = env.DATABASE_URL?.trim() ? null : await lockDataDir(dataDir);
  try {
    let sql: Sql;
    try {
      sql = (await openDatabase(dataDir, env)).sql;
    } catch (error) {
      throw new ServerMessageError('database.failed', { reason: (error as Error).message });
    }
    try {
      return await fn(sql);
    } finally {
      await sql.close();
    }
  } finally {
    await lock?.release();
  }
}
