import type { Migration } from './migration';

/**
 * The foundation: operators and their sessions, enrolled stations, one-time enrolment codes,
 * request nonces, and the received-cases list the operators' page reads (the commit handler fills
 * it). Times are `timestamptz` from the server's clock; hashes and fingerprints lowercase hex.
 */
export const m001Foundation: Migration = {
  version: 1,
  name: 'foundation',
  statements: [
    `CREATE TABLE operators (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
       password_hash text NOT NULL,
       created_at timestamptz NOT NULL
     )`,
    // Only the token's hash is stored: a copy of the database does not sign anyone in.
    `CREATE TABLE operator_sessions (
       token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
       operator_id integer NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL
     )`,
    // Keyed by the name as typed, existing or not, so a refusal never tells whether a name exists.
    `CREATE TABLE operator_sign_in_failures (
       name text PRIMARY KEY,
       failures integer NOT NULL CHECK (failures > 0),
       last_failed_at timestamptz NOT NULL
     )`,
    `CREATE TABLE stations (
       id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
       name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
       public_key_pem text NOT NULL,
       key_fingerprint text NOT NULL CHECK (key_fingerprint ~ '^[0-9a-f]{64}$'),
       enrolled_at timestamptz NOT NULL,
       revoked_at timestamptz
     )`,
    `CREATE TABLE enrol_codes (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       secret_sha256 text NOT NULL UNIQUE CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
       created_at timestamptz NOT NULL,
       expires_at timestamptz NOT NULL,
       used_at timestamptz,
       used_by_station text REFERENCES stations (id),
       CHECK ((used_at IS NULL) = (used_by_station IS NULL))
     )`,
    `CREATE TABLE nonces (
       value text PRIMARY KEY CHECK (value ~ '^[0-9a-f]{64}$'),
       station_id text NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
       created_at timestamptz NOT NULL
     )`,
    `CREATE INDEX nonces_by_station ON nonces (station_id, created_at)`,
    `CREATE INDEX nonces_by_age ON nonces (created_at)`,
    // One row per commit decision; the commit handler (server/commit/) inserts it in the same
    // transaction as the receipt, so the list never shows a receipt number that does not exist.
    `CREATE TABLE received_cases (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       station_id text NOT NULL REFERENCES stations (id),
       case_number text NOT NULL,
       case_version integer NOT NULL CHECK (case_version >= 1),
       tag_manifest_sha256 text NOT NULL CHECK (tag_manifest_sha256 ~ '^[0-9a-f]{64}$'),
       received_at timestamptz NOT NULL,
       verification text NOT NULL CHECK (verification IN ('verified', 'refused')),
       receipt_seq integer CHECK (receipt_seq >= 1),
       problems jsonb NOT NULL DEFAULT '[]'::jsonb,
       CHECK ((verification = 'verified') = (receipt_seq IS NOT NULL))
     )`,
    `CREATE INDEX received_cases_by_time ON received_cases (received_at DESC, id DESC)`,
  ],
};
