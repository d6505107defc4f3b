import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { openDatabase, inTransaction, type WritableDB } from '../db/database';
import { migrate } from '../db/migrate';
import { appendCustody, custodyBySeqs, GENESIS_HASH, iterateCustody, lastCustody, listCustody } from './custodyLog';

let dir: string;
let db: WritableDB;

beforeEach(async () => {
  dir = await makeTempDir('custody');
  db = openDatabase(join(dir, 'station.db'));
  migrate(db);
});

afterEach(async () => {
  db.close();
  await removeTree(dir);
});

const append = (n: number, action = 'test.action') =>
  appendCustody(db, {
    at: `2026-03-01T09:30:0${n % 10}.000+08:00`,
    actor: 'admin',
    station: 'station-1',
    action,
    subject: `subject-${n}`,
    sha256: n % 2 ? 'ab'.repeat(32) : null,
    details: { n, nested: { z: 1, a: [3, { y: 2, b: 1 }] }, text: '值班记录' },
  });

/** JSON with sorted keys at every level, written here again so the test does not trust the code under test. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

describe('appendCustody', () => {
  it('chains each entry to the one before it, starting from the genesis hash', () => {
    const entries = [1, 2, 3, 4].map((n) => append(n));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]!.prev).toBe(GENESIS_HASH);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.hash);
    expect(new Set(entries.map((e) => e.hash)).size).toBe(4);
    expect(lastCustody(db)).toEqual({ seq: 4, hash: entries[3]!.hash });
  });

  it('hashes canonical JSON that anyone can recompute with sorted keys', () => {
    append(1);
    const stored = append(2);
    const row = new Database(join(dir, 'station.db'), { readonly: true });
    try {
      const raw = row.prepare('SELECT * FROM custody WHERE seq = 2').get() as { hash: string; details: string };
      const { hash, ...fields } = { ...raw, details: JSON.parse(raw.details) as unknown };
      const recomputed = createHash('sha256').update(sortedJson(fields)).digest('hex');
      expect(recomputed).toBe(hash);
      expect(recomputed).toBe(stored.hash);
    } finally {
      row.close();
    }
  });

  it('reads back what it wrote, whole and by subject', () => {
    const written = [1, 2, 3].map((n) => append(n));
    expect([...iterateCustody(db)]).toEqual(written);
    expect(listCustody(db, { subject: 'subject-2', offset: 0, limit: 10 })).toEqual({
      entries: [written[1]],
      total: 1,
    });
    expect(listCustody(db, { offset: 1, limit: 1 })).toEqual({ entries: [written[1]], total: 3 });
    expect(custodyBySeqs(db, [3, 99, 1])).toEqual([written[2], written[0]]);
  });

  it('leaves no entry behind when the transaction it belongs to rolls back', () => {
    append(1);
    expect(() =>
      inTransaction(db, () => {
        append(2);
        throw new Error('the change being recorded failed');
      }),
    ).toThrow('the change being recorded failed');
    expect(lastCustody(db)?.seq).toBe(1);
    expect(append(3).seq).toBe(2);
  });

  it('is append-only: UPDATE and DELETE fail while the triggers are in place', () => {
    append(1);
    append(2);
    expect(() => db.prepare(`UPDATE custody SET details = '{}' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM custody WHERE seq = 2').run()).toThrow(/append-only/);
    const other = new Database(join(dir, 'station.db'));
    try {
      expect(() => other.prepare(`UPDATE custody SET actor = 'mallory'`).run()).toThrow(/append-only/);
      expect(() => other.prepare('DELETE FROM custody').run()).toThrow(/append-only/);
    } finally {
      other.close();
    }
    expect([...iterateCustody(db)].map((e) => e.seq)).toEqual([1, 2]);
  });
});
