import type { Sql } from './sql';

/**
 * A transaction inside a transaction, as a savepoint: both adapters give their transaction handle
 * this behaviour, so code that opens a transaction can be called from one that already has.
 */
let counter = 0;

export async function withSavepoint<T>(tx: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  const name = `sp_${++counter}`;
  await tx.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(tx);
    await tx.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (error) {
    await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw error;
  }
}

/** int8 (count(*), sums) as a JS number, refusing values a number cannot hold exactly. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`an int8 value outside the safe integer range: ${text}`);
  return n;
}

/** PostgreSQL's type oid for int8, the same in PGlite. */
export const INT8_OID = 20;
