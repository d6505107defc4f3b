import type { WritableDB } from '../database';

/**
 * Migration 80: a quarantined file's resolution says what became of the file, not only what was
 * decided. `outcome`: `adopted` (moved back into the store, for the item that records those
 * bytes), `released` (moved to a folder outside the station, named in `released_to`) or `kept`
 * (left in `quarantine/`). Rows resolved before this migration left the file where it was, so they
 * are `kept`. `check` compares the table with the folder by these columns.
 */
export function m0080QuarantineOutcome(db: WritableDB): void {
  db.exec(`
    ALTER TABLE quarantine ADD COLUMN outcome TEXT CHECK (outcome IN ('adopted', 'released', 'kept'));
    ALTER TABLE quarantine ADD COLUMN released_to TEXT;
    UPDATE quarantine SET outcome = 'kept' WHERE resolved_at IS NOT NULL;
  `);
}
