import type { WritableDB } from '../database';

/**
 * Migration 60: what guards the custody chain beyond its own hashes.
 *
 * `custody_problems` keeps every disagreement found between the chain head file and the database
 * (entries removed or replaced, a missing or unreadable head, and, as a note, a head left behind by
 * a crash). A problem stays: only its acknowledgement may be filled in, once.
 *
 * `custody_checkpoints` keeps the chain head signed with the station's key, so that a rewrite by
 * someone without the key, or a truncation below a checkpoint, no longer verifies.
 */
export function m0060CustodyGuard(db: WritableDB): void {
  db.exec(`
    CREATE TABLE custody_problems (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('entriesRemoved', 'entriesReplaced', 'headMissing', 'headUnreadable', 'headBehind')),
      severity TEXT NOT NULL CHECK (severity IN ('problem', 'note')),
      detected_at TEXT NOT NULL,
      head_seq INTEGER,
      head_hash TEXT,
      head_text TEXT,
      db_seq INTEGER NOT NULL,
      db_hash TEXT,
      first_seq INTEGER,
      last_seq INTEGER,
      acknowledged_at TEXT,
      acknowledged_by TEXT,
      acknowledged_seq INTEGER,
      CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
    ) STRICT;
    CREATE TRIGGER custody_problems_no_delete BEFORE DELETE ON custody_problems
      BEGIN SELECT RAISE(ABORT, 'custody problems are kept'); END;
    CREATE TRIGGER custody_problems_ack_only BEFORE UPDATE ON custody_problems
      WHEN OLD.acknowledged_at IS NOT NULL
        OR NEW.id IS NOT OLD.id OR NEW.kind IS NOT OLD.kind OR NEW.severity IS NOT OLD.severity
        OR NEW.detected_at IS NOT OLD.detected_at OR NEW.head_seq IS NOT OLD.head_seq
        OR NEW.head_hash IS NOT OLD.head_hash OR NEW.head_text IS NOT OLD.head_text
        OR NEW.db_seq IS NOT OLD.db_seq OR NEW.db_hash IS NOT OLD.db_hash
        OR NEW.first_seq IS NOT OLD.first_seq OR NEW.last_seq IS NOT OLD.last_seq
      BEGIN SELECT RAISE(ABORT, 'custody problems are kept; only an acknowledgement may be added'); END;

    CREATE TABLE custody_checkpoints (
      id INTEGER PRIMARY KEY,
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL,
      at TEXT NOT NULL,
      station_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      key_fingerprint TEXT NOT NULL,
      statement TEXT NOT NULL,
      signature TEXT NOT NULL
    ) STRICT;
    CREATE INDEX custody_checkpoints_seq ON custody_checkpoints (seq);
    CREATE TRIGGER custody_checkpoints_no_update BEFORE UPDATE ON custody_checkpoints
      BEGIN SELECT RAISE(ABORT, 'custody checkpoints are append-only'); END;
    CREATE TRIGGER custody_checkpoints_no_delete BEFORE DELETE ON custody_checkpoints
      BEGIN SELECT RAISE(ABORT, 'custody checkpoints are append-only'); END;

    -- check finds the membership each case entry recorded, both ways.
    CREATE INDEX case_items_added_seq ON case_items (added_seq);
    CREATE INDEX case_items_removed_seq ON case_items (removed_seq) WHERE removed_seq IS NOT NULL;
  `);
}
