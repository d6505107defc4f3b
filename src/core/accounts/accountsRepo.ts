import type { Account, Locale, Role } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

interface AccountRow {
  name: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  disabled: number;
  officer_number: string | null;
  locale: Locale | null;
  must_change_password: number;
  failed_attempts: number;
  last_failed_ms: number | null;
  locked_out_at: string | null;
  session_epoch: number;
}

function toAccount(row: AccountRow): Account {
  return {
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
    disabled: row.disabled !== 0,
    officerNumber: row.officer_number,
    locale: row.locale,
    mustChangePassword: row.must_change_password !== 0,
    lockedOut: row.locked_out_at !== null,
  };
}

/** What sign-in and the session check need beyond the public account. */
export interface AccountRecord {
  account: Account;
  passwordHash: string;
  failedAttempts: number;
  lastFailedMs: number | null;
  sessionEpoch: number;
}

function toRecord(row: AccountRow): AccountRecord {
  return {
    account: toAccount(row),
    passwordHash: row.password_hash,
    failedAttempts: row.failed_attempts,
    lastFailedMs: row.last_failed_ms,
    sessionEpoch: row.session_epoch,
  };
}

export function countAccounts(db: ReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
}

/** Enabled admins other than `name`: the station must always keep one. */
export function countOtherEnabledAdmins(db: ReadableDB, name: string): number {
  return (
    db.prepare(`SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0 AND name <> ?`).get(name) as {
      n: number;
    }
  ).n;
}

export function listAccounts(db: ReadableDB): Account[] {
  return (db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]).map(toAccount);
}

/**
 * Every call of every session reads its account (see `SessionRegistry`): the statement is compiled
 * once per connection, so the read is one primary-key lookup.
 */
const findStatements = new WeakMap<ReadableDB, ReturnType<ReadableDB['prepare']>>();

export function findAccount(db: ReadableDB, name: string): AccountRecord | null {
  let stmt = findStatements.get(db);
  if (!stmt) {
    stmt = db.prepare('SELECT * FROM accounts WHERE name = ?');
    findStatements.set(db, stmt);
  }
  const row = stmt.get(name) as AccountRow | undefined;
  return row ? toRecord(row) : null;
}

export function accountWithOfficerNumber(db: ReadableDB, officerNumber: string): string | null {
  const row = db.prepare('SELECT name FROM accounts WHERE officer_number = ?').get(officerNumber) as
    { name: string } | undefined;
  return row?.name ?? null;
}

export function insertAccount(
  db: WritableDB,
  input: {
    name: string;
    displayName: string;
    role: Role;
    passwordHash: string;
    createdAt: string;
    officerNumber: string | null;
    mustChangePassword: boolean;
  },
): Account {
  db.prepare(
    `INSERT INTO accounts (name, display_name, role, password_hash, created_at, officer_number, must_change_password)
     VALUES (@name, @displayName, @role, @passwordHash, @createdAt, @officerNumber, @mustChange)`,
  ).run({ ...input, mustChange: input.mustChangePassword ? 1 : 0 });
  const created = findAccount(db, input.name);
  if (!created) throw new Error(`account ${input.name} vanished after insert`);
  return created.account;
}

/** The columns an admin or the account's owner changes; the others stay as they are. */
export interface AccountChange {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
  officerNumber?: string | null;
  locale?: Locale | null;
  /** Clears the failure count and any lockout. */
  clearFailures?: boolean;
  /** Ends every open session of the account (see `session_epoch` in migration 50). */
  endSessions?: boolean;
}

export function updateAccount(db: WritableDB, name: string, change: AccountChange): void {
  const sets: string[] = [];
  const params: Record<string, string | number | null> = { name };
  const set = (column: string, value: string | number | null): void => {
    sets.push(`${column} = @${column}`);
    params[column] = value;
  };
  if (change.role !== undefined) set('role', change.role);
  if (change.disabled !== undefined) set('disabled', change.disabled ? 1 : 0);
  if (change.passwordHash !== undefined) set('password_hash', change.passwordHash);
  if (change.mustChangePassword !== undefined) set('must_change_password', change.mustChangePassword ? 1 : 0);
  if (change.officerNumber !== undefined) set('officer_number', change.officerNumber);
  if (change.locale !== undefined) set('locale', change.locale);
  if (change.clearFailures) {
    set('failed_attempts', 0);
    set('last_failed_ms', null);
    set('locked_out_at', null);
  }
  if (change.endSessions) sets.push('session_epoch = session_epoch + 1');
  if (!sets.length) return;
  db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE name = @name`).run(params);
}

/** Counts one more failed attempt before the password is checked (see `signInThrottle.ts`). */
export function addFailedAttempt(db: WritableDB, name: string, nowMs: number): void {
  db.prepare('UPDATE accounts SET failed_attempts = failed_attempts + 1, last_failed_ms = ? WHERE name = ?').run(
    nowMs,
    name,
  );
}

export function setLockedOut(db: WritableDB, name: string, at: string): void {
  db.prepare('UPDATE accounts SET locked_out_at = ? WHERE name = ?').run(at, name);
}

/** The officer number of the account `name`, for custody entries; null for none or for a non-account actor. */
export function officerNumberOf(db: ReadableDB, name: string): string | null {
  const row = db.prepare('SELECT officer_number FROM accounts WHERE name = ?').get(name) as
    { officer_number: string | null } | undefined;
  return row?.officer_number ?? null;
}
