import type { WritableDB } from '../database';

/**
 * Migration 113: the number of items, kept as it changes.
 *
 * The library's first page answers with the exact total, and without a filter that was
 * `count(*)` over the smallest index of `items` (every index holds the 36-character id: ~1,200
 * pages at 100,000 items). A process that just opened the station reads them all for its first
 * query (120–450 ms measured on a loaded two-core machine, against ~1 ms once they are in
 * SQLite's cache). `item_count` holds one row, kept by triggers in the same transaction as each
 * insert or delete, so the total is one row read; it starts from the count of the rows already there.
 */
export function m0113ItemCount(db: WritableDB): void {
  db.exec(`
    CREATE TABLE item_count (
      only INTEGER PRIMARY KEY CHECK (only = 1),
      n INTEGER NOT NULL CHECK (n >= 0)
    );
    INSERT INTO item_count (only, n) SELECT 1, count(*) FROM items;
    CREATE TRIGGER item_count_insert AFTER INSERT ON items BEGIN
      UPDATE item_count SET n = n + 1 WHERE only = 1;
    END;
    CREATE TRIGGER item_count_delete AFTER DELETE ON items BEGIN
      UPDATE item_count SET n = n - 1 WHERE only = 1;
    END;
  `);
}
