import type { WritableDB } from '../database';

/**
 * Accounts an admin can manage (issue 10 §4). Each column is added with a default that leaves an
 * existing account as it was: no officer number, the station's language, no forced password
 * change, no failures, not locked out.
 *
 * - `failed_attempts` / `last_failed_ms`: failed sign-ins and unlocks since the last success; the
 *   throttle waits longer after each, and they survive a restart so a restart does not reset it.
 * - `locked_out_at`: set when the failures reach the lockout count; only an admin clears it.
 * - `session_epoch`: raised whenever an admin ends the account's sessions (disable, role change,
 *   reset, end sessions). A session remembers the epoch it began in, and every call compares it with
 *   this column, so a change made by any process on this database ends the open sessions.
 * - `officer_number` (警号) is unique when present: two accounts with one badge number would make
 *   the custody log ambiguous.
 */
export function m0050Accounts(db: WritableDB): void {
  db.exec(`
    ALTER TABLE accounts ADD COLUMN officer_number TEXT;
    ALTER TABLE accounts ADD COLUMN locale TEXT CHECK (locale IS NULL OR locale IN ('zh-CN', 'en'));
    ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
      CHECK (must_change_password IN (0, 1));
    ALTER TABLE accounts ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0);
    ALTER TABLE accounts ADD COLUMN last_failed_ms INTEGER;
    ALTER TABLE accounts ADD COLUMN locked_out_at TEXT;
    ALTER TABLE accounts ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
    CREATE UNIQUE INDEX accounts_officer_number ON accounts (officer_number) WHERE officer_number IS NOT NULL;
  `);
}
