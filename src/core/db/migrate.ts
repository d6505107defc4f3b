import type { WritableDB } from './database';
import { MIGRATIONS, type Migration } from './migrations';

export class DatabaseFromFutureError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the database is at schema version ${found}, newer than this station knows (${known})`);
    this.name = 'DatabaseFromFutureError';
  }
}

export function schemaVersion(db: WritableDB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to `target` (default: the newest). Each migration runs in its own
 * transaction together with the version bump, so a crash leaves the previous version intact.
 */
export function migrate(db: WritableDB, target?: number, migrations: readonly Migration[] = MIGRATIONS): number {
  let last = 0;
  for (const m of migrations) {
    if (m.version <= last) throw new Error(`migration versions must rise: ${m.version} after ${last}`);
    last = m.version;
  }
  const newest = target ?? last;
  const current = schemaVersion(db);
  if (current > last) throw new DatabaseFromFutureError(current, last);
  for (const m of migrations) {
    if (m.version <= current || m.version > newest) continue;
    // SQLite's table-rebuild procedure: foreign keys off (only possible outside a transaction), then
    // a full foreign-key check before commit, so a rebuild can never leave a dangling reference.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (m.rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        m.update(db);
        if (m.rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new Error(`migration ${m.version} left ${broken.length} broken foreign key reference(s)`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (m.rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return schemaVersion(db);
}
