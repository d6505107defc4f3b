/**
 * The one way the server talks to its database, whichever it is: PGlite in the data folder by
 * default, PostgreSQL when `DATABASE_URL` is set. Both speak the same SQL; every statement is
 * parameterised (`$1`, `$2`, …), never built from input.
 */
export interface Sql {
  query<T extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction on one connection; it commits when `fn` resolves, else rolls back. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` on one connection held for its whole run, outside any transaction: session-level
   * advisory locks (the upload locker) live exactly as long as that connection is held.
   */
  session<T>(fn: (conn: Sql) => Promise<T>): Promise<T>;
  /**
   * Makes everything committed so far survive a power cut before the caller answers on it (a
   * signed receipt). PostgreSQL has done so at COMMIT; PGlite's file layer never calls fsync, so
   * there it syncs the database's folder. Inside a transaction it does nothing: nothing is
   * committed yet.
   */
  flushToDisk(): Promise<void>;
  close(): Promise<void>;
}
