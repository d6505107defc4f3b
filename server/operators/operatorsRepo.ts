import { hashPassword } from '../../src/core/accounts/passwords';
import type { Sql } from '../db/sql';

export interface Operator {
  id: number;
  name: string;
  passwordHash: string;
}

/** An operator's name: what they type at sign-in, so no spaces at the ends and no control characters. */
export const OPERATOR_NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]{0,98}[^\s\p{Cc}])?$/u;

export async function findOperator(sql: Sql, name: string): Promise<Operator | null> {
  const rows = await sql.query<{ id: number; name: string; password_hash: string }>(
    'SELECT id, name, password_hash FROM operators WHERE name = $1',
    [name],
  );
  const row = rows[0];
  return row ? { id: row.id, name: row.name, passwordHash: row.password_hash } : null;
}

export type AddOperatorOutcome = 'added' | 'exists';

export async function addOperator(sql: Sql, name: string, password: string, now: Date): Promise<AddOperatorOutcome> {
  const passwordHash = await hashPassword(password);
  const rows = await sql.query(
    `INSERT INTO operators (name, password_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO NOTHING RETURNING id`,
    [name, passwordHash, now],
  );
  return rows.length === 1 ? 'added' : 'exists';
}
