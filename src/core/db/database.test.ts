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
