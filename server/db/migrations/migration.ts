import type { Sql } from '../sql';

/**
 * One step of the server's schema. `statements` run in order inside one transaction (one
 * statement per string: PGlite's extended protocol takes one at a time); `after`, when present,
 * runs in the same transaction for changes SQL alone cannot express. A released migration is never
 * edited: a change is a new migration with the next number.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
  after?: (tx: Sql) => Promise<void>;
}
