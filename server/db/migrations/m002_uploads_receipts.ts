import type { Migration } from './migration';

/**
 * Uploads, the blob store's index, commits and the receipt chain.
 *
 * - `blobs`: one row per file held under `DIR/blobs/<aa>/<sha256>`, written after the file was
 *   hashed, fsynced and linked into place, so a row always names a checked file.
 * - `uploads`: the tus uploads in progress, with the station that made each (only it may resume
 *   or end one) and the hash it promised. tus keeps the bytes and offset in `DIR/uploads/`.
 * - `upload_lock_requests`: an instance waiting for an upload another instance has locked asks it
 *   here to let go (the tus lock-request callback, across processes).
 * - `receipts` with `receipt_head`: the chain, numbered from 1 without gaps. Appending locks the
 *   one head row (`SELECT … FOR UPDATE`), so two instances append one after the other.
 * - `commits`: one row per idempotency key, with the hash of the request it answered, so the same
 *   request gets the same answer and a different one under that key is refused.
 */
export const m002UploadsReceipts: Migration = {
  version: 2,
  name: 'uploads and receipts',
  statements: [
    `CREATE TABLE blobs (
       sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       size bigint NOT NULL CHECK (size >= 0),
       stored_at timestamptz NOT NULL
     )`,
    `CREATE TABLE uploads (
       id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
       station_id text NOT NULL REFERENCES stations (id),
       sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       size bigint CHECK (size >= 0),
       name text NOT NULL,
       created_at timestamptz NOT NULL,
       -- Set when the bytes hashed right and were placed in the blob store; the file is gone then.
       finished_at timestamptz
     )`,
    `CREATE INDEX uploads_by_age ON uploads (created_at)`,
    `CREATE TABLE upload_lock_requests (
       lock_key bigint PRIMARY KEY,
       requested_at timestamptz NOT NULL
     )`,
    `CREATE TABLE receipts (
       seq integer PRIMARY KEY CHECK (seq >= 1),
       prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
       sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       json text NOT NULL,
       signature bytea NOT NULL CHECK (length(signature) = 64),
       created_at timestamptz NOT NULL
     )`,
    `CREATE TABLE receipt_head (
       id integer PRIMARY KEY CHECK (id = 1),
       seq integer NOT NULL CHECK (seq >= 0),
       sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$')
     )`,
    `INSERT INTO receipt_head (id, seq, sha256) VALUES (1, 0, repeat('0', 64))`,
    `CREATE TABLE commits (
       idempotency_key text PRIMARY KEY,
       request_sha256 text NOT NULL CHECK (request_sha256 ~ '^[0-9a-f]{64}$'),
       station_id text NOT NULL REFERENCES stations (id),
       case_number text NOT NULL,
       case_version integer NOT NULL CHECK (case_version >= 1),
       tag_manifest_sha256 text NOT NULL CHECK (tag_manifest_sha256 ~ '^[0-9a-f]{64}$'),
       verification text NOT NULL CHECK (verification IN ('verified', 'refused')),
       receipt_seq integer UNIQUE REFERENCES receipts (seq),
       problems jsonb NOT NULL DEFAULT '[]'::jsonb,
       created_at timestamptz NOT NULL,
       CHECK ((verification = 'verified') = (receipt_seq IS NOT NULL))
     )`,
  ],
};
