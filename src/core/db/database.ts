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
  return db as WritableDB;
}

/** Runs `fn` in one IMMEDIATE transaction: all of it is committed, or none of it. */
export function inTransaction<T>(db: WritableDB, fn: () => T): T {
  return db.transaction(fn).immediate();
}
