import type { WritableDB } from '../database';

/**
 * Library queries at 100,000 items (issue figure 4): a trigram full-text index for substring
 * search, and indexes that hand each sort its rows already ordered, tiebreak included, so a page
 * reads only its own rows.
 *
 * `items_fts` is an external-content FTS5 table: it stores only the index and reads text from
 * `items` by rowid, so `search_text` is not kept twice. The triggers below are the only writers.
 * `items` has no INTEGER PRIMARY KEY, so its rowids are implicit; VACUUM keeps them in current
 * SQLite, but anyone who rewrites `items` (a table rebuild in a later migration, for instance) must
 * end with `INSERT INTO items_fts(items_fts) VALUES ('rebuild')`.
 *
 * `case_sensitive 1`: `search_text` and the query term are both lowercased in JavaScript, so the
 * index matches exactly what `LIKE '%term%'` matched, with no second case folding of its own.
 */
export function m0020LibraryIndexes(db: WritableDB): void {
  db.exec(`
    CREATE VIRTUAL TABLE items_fts USING fts5(
      search_text,
      content = 'items',
      columnsize = 0,
      tokenize = 'trigram case_sensitive 1'
    );
    INSERT INTO items_fts (items_fts) VALUES ('rebuild');

    CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
      INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
    END;
    CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
      INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    END;
    CREATE TRIGGER items_fts_update AFTER UPDATE OF search_text ON items BEGIN
      INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
    END;

    DROP INDEX items_imported;
    DROP INDEX items_recorded;
    DROP INDEX items_name;
    DROP INDEX items_size;
    DROP INDEX items_device;
    DROP INDEX items_officer;
    CREATE INDEX items_by_imported ON items (imported_at, id, kind, status);
    CREATE INDEX items_by_recorded ON items (recorded_at_utc, id, kind, status);
    CREATE INDEX items_by_name ON items (original_name, id, kind, status);
    CREATE INDEX items_by_size ON items (size, id, kind, status);
    CREATE INDEX items_by_device ON items (device_id, imported_at, id);
    CREATE INDEX items_by_officer ON items (officer_id, recorded_at_utc, id);
  `);
}
