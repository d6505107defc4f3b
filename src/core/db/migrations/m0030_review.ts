import type { WritableDB } from '../database';

const ITEM_COLUMNS = [
  'id',
  'sha256',
  'size',
  'original_name',
  'relative_path',
  'source_path',
  'source_device',
  'modified_at',
  'kind',
  'status',
  'reason',
  'import_id',
  'imported_at',
  'imported_by',
  'media',
  'recorded_at',
  'recorded_at_utc',
  'recorded_at_source',
  'offset_known',
  'original_recorded_at',
  'duration_sec',
  'device_id',
  'officer_id',
  'has_gps',
  'search_text',
  'custody_seq',
].join(', ');

/**
 * The review workspace: clips and stills become items of their own (made here, not imported),
 * the versioned violation taxonomy, tags with their full revision history, markers, and cases.
 *
 * `items` is rebuilt (SQLite cannot relax NOT NULL in place) so `import_id` may be empty for
 * items this station made; `origin` says which. Rowids are copied, and the full-text index is
 * rebuilt at the end as migration 20 asks of any rewrite of `items`.
 *
 * Taxonomy versions, tag revisions and derivations are facts on the record: triggers refuse to
 * change or delete them.
 */
export function m0030Review(db: WritableDB): void {
  db.exec(`
    CREATE TABLE items_rebuilt (
      id TEXT PRIMARY KEY,
      sha256 TEXT NOT NULL UNIQUE,
      size INTEGER NOT NULL,
      original_name TEXT NOT NULL,
      relative_path TEXT NOT NULL,
      source_path TEXT NOT NULL,
      source_device TEXT,
      modified_at TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'photo', 'other')),
      status TEXT NOT NULL CHECK (status IN ('ok', 'undecodable')),
      reason TEXT,
      import_id TEXT REFERENCES imports (id),
      imported_at TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      media TEXT NOT NULL,
      recorded_at TEXT,
      recorded_at_utc TEXT,
      recorded_at_source TEXT,
      offset_known INTEGER NOT NULL DEFAULT 0,
      original_recorded_at TEXT,
      duration_sec REAL,
      device_id TEXT,
      officer_id TEXT,
      has_gps INTEGER NOT NULL DEFAULT 0,
      search_text TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      origin TEXT NOT NULL DEFAULT 'import' CHECK (origin IN ('import', 'clip', 'still')),
      CHECK ((origin = 'import') = (import_id IS NOT NULL))
    ) STRICT;
    INSERT INTO items_rebuilt (rowid, ${ITEM_COLUMNS}) SELECT rowid, ${ITEM_COLUMNS} FROM items;
    DROP TABLE items;
    ALTER TABLE items_rebuilt RENAME TO items;

    CREATE INDEX items_by_imported ON items (imported_at, id, kind, status);
    CREATE INDEX items_by_recorded ON items (recorded_at_utc, id, kind, status);
    CREATE INDEX items_by_name ON items (original_name, id, kind, status);
    CREATE INDEX items_by_size ON items (size, id, kind, status);
    CREATE INDEX items_by_device ON items (device_id, imported_at, id);
    CREATE INDEX items_by_officer ON items (officer_id, recorded_at_utc, id);
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
    INSERT INTO items_fts (items_fts) VALUES ('rebuild');

    CREATE TABLE derivations (
      item_id TEXT PRIMARY KEY REFERENCES items (id),
      kind TEXT NOT NULL CHECK (kind IN ('clip', 'still')),
      source_item_id TEXT NOT NULL REFERENCES items (id),
      source_sha256 TEXT NOT NULL,
      mode TEXT CHECK (mode IN ('lossless', 'exact')),
      requested_from_sec REAL,
      requested_to_sec REAL,
      from_sec REAL NOT NULL,
      to_sec REAL NOT NULL,
      frame_count INTEGER NOT NULL,
      provenance TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      CHECK ((kind = 'clip') = (mode IS NOT NULL))
    ) STRICT;
    CREATE INDEX derivations_source ON derivations (source_item_id, created_at);
    CREATE TRIGGER derivations_no_update BEFORE UPDATE ON derivations
      BEGIN SELECT RAISE(ABORT, 'how an item was made is never changed'); END;
    CREATE TRIGGER derivations_no_delete BEFORE DELETE ON derivations
      BEGIN SELECT RAISE(ABORT, 'how an item was made is never changed'); END;

    CREATE TABLE taxonomy_versions (
      version INTEGER PRIMARY KEY,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      note TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq)
    ) STRICT;
    CREATE TABLE violation_types (
      version INTEGER NOT NULL REFERENCES taxonomy_versions (version),
      ordinal INTEGER NOT NULL,
      code TEXT NOT NULL,
      name_zh TEXT NOT NULL,
      name_en TEXT NOT NULL,
      legal_basis TEXT NOT NULL,
      retired INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (version, code)
    ) STRICT;
    CREATE TRIGGER taxonomy_versions_frozen_update BEFORE UPDATE ON taxonomy_versions
      BEGIN SELECT RAISE(ABORT, 'a taxonomy version is never changed; save a new version'); END;
    CREATE TRIGGER taxonomy_versions_frozen_delete BEFORE DELETE ON taxonomy_versions
      BEGIN SELECT RAISE(ABORT, 'a taxonomy version is never changed; save a new version'); END;
    CREATE TRIGGER violation_types_frozen_update BEFORE UPDATE ON violation_types
      BEGIN SELECT RAISE(ABORT, 'a taxonomy version is never changed; save a new version'); END;
    CREATE TRIGGER violation_types_frozen_delete BEFORE DELETE ON violation_types
      BEGIN SELECT RAISE(ABORT, 'a taxonomy version is never changed; save a new version'); END;

    -- The current state of each tag; every change is also a row in tag_revisions.
    CREATE TABLE tags (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES items (id),
      revision INTEGER NOT NULL,
      taxonomy_version INTEGER NOT NULL,
      code TEXT NOT NULL,
      from_sec REAL,
      to_sec REAL,
      note TEXT NOT NULL,
      removed INTEGER NOT NULL DEFAULT 0,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      FOREIGN KEY (taxonomy_version, code) REFERENCES violation_types (version, code),
      CHECK ((from_sec IS NULL) = (to_sec IS NULL)),
      CHECK (from_sec IS NULL OR to_sec > from_sec)
    ) STRICT;
    CREATE INDEX tags_item ON tags (item_id, created_at);
    CREATE INDEX tags_code ON tags (code, item_id);
    CREATE TABLE tag_revisions (
      tag_id TEXT NOT NULL REFERENCES tags (id),
      revision INTEGER NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('add', 'update', 'remove', 'undo')),
      -- For an undo: the revision it reverted.
      undoes INTEGER,
      taxonomy_version INTEGER NOT NULL,
      code TEXT NOT NULL,
      from_sec REAL,
      to_sec REAL,
      note TEXT NOT NULL,
      removed INTEGER NOT NULL,
      by TEXT NOT NULL,
      at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      PRIMARY KEY (tag_id, revision),
      CHECK ((action = 'undo') = (undoes IS NOT NULL))
    ) STRICT;
    CREATE TRIGGER tag_revisions_no_update BEFORE UPDATE ON tag_revisions
      BEGIN SELECT RAISE(ABORT, 'tag history is append-only'); END;
    CREATE TRIGGER tag_revisions_no_delete BEFORE DELETE ON tag_revisions
      BEGIN SELECT RAISE(ABORT, 'tag history is append-only'); END;

    CREATE TABLE markers (
      id TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES items (id),
      at_sec REAL NOT NULL,
      label TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      removed_by TEXT,
      removed_at TEXT,
      removed_seq INTEGER REFERENCES custody (seq)
    ) STRICT;
    CREATE INDEX markers_item ON markers (item_id, at_sec);

    CREATE TABLE cases (
      id TEXT PRIMARY KEY,
      number TEXT NOT NULL UNIQUE,
      title TEXT NOT NULL,
      place TEXT NOT NULL,
      occurred_at TEXT,
      parties TEXT NOT NULL,
      notes TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('draft', 'sealed', 'approved', 'rejected')),
      created_by TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      search_text TEXT NOT NULL
    ) STRICT;
    CREATE INDEX cases_by_created ON cases (created_at, id);
    CREATE INDEX cases_by_state ON cases (state, created_at, id);
    -- The last number handed out per scope (the formatted number with {SEQ} left in), so numbers
    -- never repeat even after a case is gone from view.
    CREATE TABLE case_numbers (
      scope TEXT PRIMARY KEY,
      last INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE case_items (
      id INTEGER PRIMARY KEY,
      case_id TEXT NOT NULL REFERENCES cases (id),
      item_id TEXT NOT NULL REFERENCES items (id),
      added_by TEXT NOT NULL,
      added_at TEXT NOT NULL,
      added_seq INTEGER NOT NULL REFERENCES custody (seq),
      removed_by TEXT,
      removed_at TEXT,
      removed_reason TEXT,
      removed_seq INTEGER REFERENCES custody (seq),
      CHECK ((removed_at IS NULL) = (removed_seq IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX case_items_current ON case_items (case_id, item_id) WHERE removed_at IS NULL;
    CREATE INDEX case_items_by_item ON case_items (item_id);
  `);
}
