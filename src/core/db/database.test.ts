import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './database';

/** The Node build that node_modules holds: what tests, the CLI and the web host load by default. */
const nodeBuild = path.join(
  path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-db-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('opens with the package build and sets the durability pragmas', () => {
    const db = openDatabase(path.join(dir, 'default.db'));
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('loads the native binding it is given', () => {
    const db = openDatabase(path.join(dir, 'explicit.db'), { nativeBinding: nodeBuild });
    try {
      expect(db.prepare('SELECT 1 + 1 AS two').get()).toEqual({ two: 2 });
    } finally {
      db.close();
    }
  });

  it('fails on a binding that does not exist instead of falling back to the default', () => {
    const missing = path.join(dir, 'no-such', 'better_sqlite3.node');
    expect(() => openDatabase(path.join(dir, 'missing.db'), { nativeBinding: missing })).toThrow(/no-such/);
  });
});

describe('prepared statements', () => {
  it('prepares each SQL text once, and never hands out a statement that is still iterating', () => {
    const db = openDatabase(path.join(dir, 'statements.db'));
    try {
      db.exec('CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3)');
      const sql = 'SELECT n FROM t ORDER BY n';
      const first = db.prepare(sql);
      expect(db.prepare(sql)).toBe(first);
      // A query inside a loop over the same query: the kept statement is busy, so a second one runs.
      const seen: number[][] = [];
      for (const row of first.iterate() as Iterable<{ n: number }>) {
        const inner = db.prepare(sql);
        expect(inner).not.toBe(first);
        seen.push((inner.all() as { n: number }[]).map((r) => r.n).concat(row.n));
      }
      expect(seen).toEqual([
        [1, 2, 3, 1],
        [1, 2, 3, 2],
        [1, 2, 3, 3],
      ]);
      expect(db.prepare(sql)).toBe(first);
    } finally {
      db.close();
    }
  });

  it('hands a kept statement out in its default result mode', () => {
    const db = openDatabase(path.join(dir, 'modes.db'));
    try {
      db.exec("CREATE TABLE t (n INTEGER, s TEXT); INSERT INTO t VALUES (7, 'x')");
      const sql = 'SELECT n, s FROM t';
      expect(db.prepare(sql).pluck().get()).toBe(7);
      expect(db.prepare(sql).get()).toEqual({ n: 7, s: 'x' });
      expect(db.prepare(sql).raw().get()).toEqual([7, 'x']);
      expect(db.prepare(sql).get()).toEqual({ n: 7, s: 'x' });
      // Writes go through kept statements too.
      const insert = 'INSERT INTO t VALUES (?, ?)';
      db.prepare(insert).run(8, 'y');
      db.prepare(insert).run(9, 'z');
      expect(db.prepare('SELECT count(*) AS c FROM t').get()).toEqual({ c: 3 });
    } finally {
      db.close();
    }
  });

  it('keeps a bounded number of texts', () => {
    const db = openDatabase(path.join(dir, 'bounded.db'));
    try {
      const first = db.prepare('SELECT 0');
      for (let i = 1; i <= 600; i++) db.prepare(`SELECT ${i}`);
      // The first text fell out of the cache and is prepared anew; the latest is still kept.
      expect(db.prepare('SELECT 0')).not.toBe(first);
      expect(db.prepare('SELECT 600')).toBe(db.prepare('SELECT 600'));
    } finally {
      db.close();
    }
  });
});
