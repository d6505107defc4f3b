import type { WritableDB } from '../database';

/**
 * Migration 111: batch work on the library.
 *
 * - A time correction may be a clock correction ("this camera ran 3 min 12 s fast and recorded in
 *   +08:00") applied to many items at once: each row keeps the offset and zone it applied, the
 *   batch it belongs to and what the batch covered (`items`, a whole `import`, a whole `device`),
 *   so a reviewer can tell one decision from many. Rows before this migration are single typed
 *   corrections: their new columns stay null and `scope` is `item`.
 * - Corrections are facts on the record, like tag revisions and derivations: triggers refuse to
 *   change or delete them. The item's own reading (`items.original_recorded_at`) is never touched.
 * - Indexes for the library's new filters and group lookups, so they stay index-driven at 100,000
 *   items: items of an import, items by origin (original / clip / still), and current tags by code
 *   and by item (partial, so removed tags cost nothing). Case membership already has
 *   `case_items_current (case_id, item_id)`.
 */
export function m0111BatchWork(db: WritableDB): void {
  db.exec(`
    ALTER TABLE time_corrections ADD COLUMN shift_sec REAL;
    ALTER TABLE time_corrections ADD COLUMN zone TEXT;
    ALTER TABLE time_corrections ADD COLUMN batch_id TEXT;
    ALTER TABLE time_corrections ADD COLUMN scope TEXT NOT NULL DEFAULT 'item'
      CHECK (scope IN ('item', 'items', 'import', 'device'));
    ALTER TABLE time_corrections ADD COLUMN scope_ref TEXT;
    CREATE INDEX time_corrections_batch ON time_corrections (batch_id) WHERE batch_id IS NOT NULL;
    CREATE TRIGGER time_corrections_no_update BEFORE UPDATE ON time_corrections
      BEGIN SELECT RAISE(ABORT, 'a time correction on the record is never changed'); END;
    CREATE TRIGGER time_corrections_no_delete BEFORE DELETE ON time_corrections
      BEGIN SELECT RAISE(ABORT, 'a time correction on the record is never changed'); END;

    CREATE INDEX items_by_import ON items (import_id, id) WHERE import_id IS NOT NULL;
    CREATE INDEX items_by_origin ON items (origin, id);
    CREATE INDEX tags_current_by_code ON tags (code, item_id) WHERE removed = 0;
    CREATE INDEX tags_current_by_item ON tags (item_id) WHERE removed = 0;
  `);
}
