import type { Account, Role } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

interface AccountRow {
  name: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: string;
  disabled: number;
}

function toAccount(row: AccountRow): Account {
  return {
    name: row.name,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at,
    disabled: row.disabled !== 0,
  };
}

export function countAccounts(db: ReadableDB): number {
  return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
}

export function listAccounts(db: ReadableDB): Account[] {
  return (db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]).map(toAccount);
}

export function findAccount(db: ReadableDB, name: string): { account: Account; passwordHash: string } | null {
  const row = db.prepare('SELECT * FROM accounts WHERE name = ?').get(name) as AccountRow | undefined;
  return row ? { account: toAccount(row), passwordHash: row.password_hash } : null;
}

export function insertAccount(
  db: WritableDB,
  input: { name: string; displayName: string; role: Role; passwordHash: string; createdAt: string },
): Account {
  db.prepare(
    `INSERT INTO accounts (name, display_name, role, password_hash, created_at)
     VALUES (@name, @displayName, @role, @passwordHash, @createdAt)`,
  ).run(input);
  return {
    name: input.name,
    displayName: input.displayName,
    role: input.role,
    createdAt: input.createdAt,
    disabled: false,
  };
}
