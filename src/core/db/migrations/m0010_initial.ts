import type { WritableDB } from '../database';

/** Released migrations are never edited; add a new one instead. */
export function m0010Initial(db: WritableDB): void {
  db.exec(`
    CREATE TABLE station (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE accounts (
      name TEXT PRIMARY KEY,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'admin')),
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0
    ) STRICT;

    CREATE TABLE custody (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      station TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT,
      sha256 TEXT,
      details TEXT NOT NULL,
      prev TEXT NOT NULL,
      hash TEXT NOT NULL UNIQUE
    ) STRICT;
    CREATE INDEX custody_subject ON custody (subject, seq);
    CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody
      BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
    CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
      BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;

    CREATE TABLE imports (
      id TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'cancelled', 'failed')),
      account TEXT NOT NULL,
      station TEXT NOT NULL,
      started_at TEXT NOT NULL,
      finished_at TEXT,
      sources TEXT NOT NULL,
      source_device TEXT,
      include_non_media INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX imports_started ON imports (started_at);

    CREATE TABLE items (
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
      import_id TEXT NOT NULL REFERENCES imports (id),
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
      custody_seq INTEGER NOT NULL REFERENCES custody (seq)
    ) STRICT;
    CREATE INDEX items_imported ON items (imported_at);
    CREATE INDEX items_recorded ON items (recorded_at_utc);
    CREATE INDEX items_device ON items (device_id);
    CREATE INDEX items_officer ON items (officer_id);
    CREATE INDEX items_name ON items (original_name);
    CREATE INDEX items_size ON items (size);

    CREATE TABLE import_files (
      import_id TEXT NOT NULL REFERENCES imports (id),
      ordinal INTEGER NOT NULL,
      path TEXT NOT NULL,
      relative_path TEXT NOT NULL,
      original_name TEXT NOT NULL,
      size INTEGER NOT NULL,
      modified_at TEXT,
      sha256 TEXT,
      status TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'undecodable', 'skipped', 'failed')),
      item_id TEXT REFERENCES items (id),
      duplicate_of TEXT REFERENCES items (id),
      reason_code TEXT,
      reason_detail TEXT,
      PRIMARY KEY (import_id, ordinal)
    ) STRICT;

    CREATE TABLE time_corrections (
      id INTEGER PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES items (id),
      recorded_at TEXT NOT NULL,
      previous TEXT,
      reason TEXT NOT NULL,
      corrected_by TEXT NOT NULL,
      corrected_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq)
    ) STRICT;
    CREATE INDEX time_corrections_item ON time_corrections (item_id, id);

    CREATE TABLE derived (
      item_id TEXT NOT NULL REFERENCES items (id),
      variant TEXT NOT NULL CHECK (variant IN ('thumbnail', 'filmstrip', 'proxy')),
      state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'ready', 'failed')),
      file TEXT,
      sha256 TEXT,
      provenance TEXT,
      error TEXT,
      attempts INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (item_id, variant)
    ) STRICT;
    CREATE INDEX derived_state ON derived (state, updated_at);
  `);
}
