import Database from 'better-sqlite3';

/**
 * Read and write access are different types so that a query function declares what it needs;
 * there is one writer connection per data directory.
 */
export type WritableDB = Database.Database & { readonly __writable: unique symbol };
export type ReadableDB = Database.Database | WritableDB;

export interface OpenDatabaseOptions {
  /**
   * Path of a `better_sqlite3.node` built for the running runtime. The desktop app passes an
   * Electron build here, because node_modules holds the Node build that tests and the CLI need.
   * Default: the package's own build.
   */
  nativeBinding?: string;
}

/**
 * Opens the station database. WAL lets readers run beside the writer; synchronous=FULL makes a
 * committed transaction survive power loss, which evidence records need more than speed.
 */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): WritableDB {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  keepPreparedStatements(db);
  return db as WritableDB;
}

/** Distinct SQL texts kept per connection; the station's queries are a few hundred fixed texts. */
const STATEMENT_CACHE_SIZE = 512;

/**
 * Makes `db.prepare` return the statement it prepared before for the same SQL text: the code
 * prepares at the point of use, and compiling the same SQL again cost the folder import more main
 * thread time than any of its queries (`prepare` ~0.7 ms a file). A statement still iterating
 * (`busy`) is never handed out twice; a fresh one is prepared beside it. A kept statement is
 * handed out with its default result mode, whatever a caller switched on before.
 */
export function keepPreparedStatements(db: Database.Database): void {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Database.Statement>();
  const cached = (source: string): Database.Statement => {
    const hit = kept.get(source);
    if (hit && !hit.busy) {
      kept.delete(source);
      kept.set(source, hit);
      if (hit.reader) hit.raw(false).pluck(false).expand(false);
      return hit;
    }
    const fresh = prepare(source);
    if (!hit) {
      kept.set(source, fresh);
      const oldest = kept.keys().next();
      if (kept.size > STATEMENT_CACHE_SIZE && !oldest.done) kept.delete(oldest.value);
    }
    return fresh;
  };
  db.prepare = cached as typeof db.prepare;
}

/** Runs `fn` in one IMMEDIATE transaction: all of it is committed, or none of it. */
export function inTransaction<T>(db: WritableDB, fn: () => T): T {
  return db.transaction(fn).immediate();
}
