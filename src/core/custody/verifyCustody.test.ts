import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, quietLogger, removeTree } from '../../../test/engine/harness';
import { openDatabase, type WritableDB } from '../db/database';
import { migrate } from '../db/migrate';
import { readChainHead, readHeadFile, writeChainHead } from './chainHead';
import { appendCustody, hashCustodyEntry } from './custodyLog';
import { ChainHeadWriter } from './headWriter';
import { verifyCustody } from './verifyCustody';

let dir: string;
let dbFile: string;
let headFile: string;
let db: WritableDB;
let head: ChainHeadWriter;

beforeEach(async () => {
  dir = await makeTempDir('verify');
  dbFile = join(dir, 'station.db');
  headFile = join(dir, 'custody-head.json');
  db = openDatabase(dbFile);
  migrate(db);
  head = new ChainHeadWriter({ db, file: headFile, log: quietLogger(), now: () => new Date() });
  // As the engine does at start: the empty chain's head is written before the first append.
  await head.writeNow();
  for (let n = 1; n <= 6; n++) {
    appendCustody(db, {
      at: '2026-03-01T09:30:00.000+08:00',
      actor: 'admin',
      station: 'station-1',
      action: 'test.action',
      subject: `s-${n}`,
      sha256: null,
      details: { n },
    });
    head.schedule();
  }
  await head.flush();
});

afterEach(async () => {
  db.close();
  await removeTree(dir);
});

/** Tampering the way someone with the database file would: a second connection, triggers dropped. */
function tamper(sql: string, trigger: 'custody_no_update' | 'custody_no_delete'): void {
  const raw = new Database(dbFile);
  try {
    raw.exec(`DROP TRIGGER ${trigger}`);
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

const verify = async () => verifyCustody(db, await readHeadFile(headFile));

describe('verifyCustody', () => {
  it('accepts an intact chain whose head file matches', async () => {
    expect(await readChainHead(headFile)).toMatchObject({ seq: 6 });
    expect(await verify()).toEqual({ ok: true, entries: 6, firstBroken: null, problem: null, headProblems: [] });
  });

  it('finds an entry whose details were edited by hand', async () => {
    tamper(`UPDATE custody SET details = '{"n":99}' WHERE seq = 3`, 'custody_no_update');
    expect(await verify()).toMatchObject({ ok: false, firstBroken: 3, problem: expect.stringMatching(/altered/) });
  });

  it('finds an edited entry whose own hash was recomputed, by the link after it', async () => {
    const raw = new Database(dbFile);
    try {
      raw.exec('DROP TRIGGER custody_no_update');
      // A careful forger fixes the edited entry's hash; the entry after it still points at the old one.
      const row = raw.prepare('SELECT * FROM custody WHERE seq = 4').get() as { hash: string; details: string };
      const { hash: _old, ...rest } = {
        ...row,
        actor: 'mallory',
        details: JSON.parse(row.details) as object,
      };
      const forgedHash = hashCustodyEntry(rest as Parameters<typeof hashCustodyEntry>[0]);
      raw.prepare('UPDATE custody SET actor = ?, hash = ? WHERE seq = 4').run('mallory', forgedHash);
    } finally {
      raw.close();
    }
    expect(await verify()).toMatchObject({ ok: false, firstBroken: 5 });
  });

  it('finds a deleted entry in the middle', async () => {
    tamper('DELETE FROM custody WHERE seq = 2', 'custody_no_delete');
    expect(await verify()).toMatchObject({ ok: false, firstBroken: 2, problem: expect.stringMatching(/missing/) });
  });

  it('finds deleted newest entries through the head file, though the rest is a valid chain', async () => {
    tamper('DELETE FROM custody WHERE seq >= 5', 'custody_no_delete');
    // Without the head the shortened chain would pass: the head is what catches it.
    const seq4 = db.prepare('SELECT hash FROM custody WHERE seq = 4').get() as { hash: string };
    expect(verifyCustody(db, { state: 'ok', head: { seq: 4, hash: seq4.hash }, text: '' })).toMatchObject({ ok: true });
    expect(await verify()).toMatchObject({ ok: false, firstBroken: 5, problem: expect.stringMatching(/removed/) });
  });

  it('finds a head that disagrees with the entry it names', async () => {
    await writeChainHead(headFile, { seq: 6, hash: 'f'.repeat(64) });
    expect(await verify()).toMatchObject({ ok: false, firstBroken: 6 });
  });

  it('reports a missing head file for a non-empty chain', () => {
    expect(verifyCustody(db, { state: 'missing' })).toMatchObject({ ok: false, firstBroken: 1 });
  });
});
