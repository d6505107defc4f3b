import type { WritableDB } from '../database';

/**
 * Migration 70: what recovery needs to never guess about the evidence store.
 * - `import_plan`: every file an import found when it started, so that an interrupted import's
 *   record can list each file it had not reached.
 * - `store_intents`: written before a copy starts (and given its hash before it is moved into the
 *   store), removed in the transaction that records the file's outcome. A stored copy without an
 *   item is the engine's own unfinished work only when an intent covers it.
 * - `quarantine`: stored copies without an item that no intent covers; moved out of `evidence/`,
 *   never deleted, and listed by `check` until an admin resolves them.
 */
export function m0070StoreIntents(db: WritableDB): void {
  db.exec(`
    CREATE TABLE import_plan (
      import_id TEXT NOT NULL REFERENCES imports (id),
      ordinal INTEGER NOT NULL,
      path TEXT NOT NULL,
      relative_path TEXT NOT NULL,
      original_name TEXT NOT NULL,
      size INTEGER NOT NULL,
      modified_at TEXT,
      PRIMARY KEY (import_id, ordinal)
    ) STRICT;

    CREATE TABLE store_intents (
      import_id TEXT NOT NULL REFERENCES imports (id),
      ordinal INTEGER NOT NULL,
      temp_name TEXT NOT NULL,
      sha256 TEXT,
      started_at TEXT NOT NULL,
      PRIMARY KEY (import_id, ordinal)
    ) STRICT;
    CREATE INDEX store_intents_sha256 ON store_intents (sha256);

    CREATE TABLE quarantine (
      id INTEGER PRIMARY KEY,
      sha256 TEXT NOT NULL,
      file TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      found_at TEXT NOT NULL,
      reason TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by TEXT,
      resolution TEXT
    ) STRICT;
  `);
}
