import { readFile, readdir, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type StationEngine } from '../../src/core/engine';
import { ADMIN, codeOf, openStation, quietLogger, type TestStation } from './harness';
import { appendOutside, newestSeq, tamper } from './tamper';

/**
 * The custody chain cannot be shortened unnoticed (issue 10, section 2): the head file is compared
 * with the database before anything appends, a disagreement is a problem stored in the database
 * and named in `custody.verify` from then on, the head never moves back, and only reading never
 * writes. Real engine, real SQLite; the tampering is done in a connection of its own.
 */

let station: TestStation | null = null;
let bare: StationEngine | null = null;
afterEach(async () => {
  await bare?.close();
  bare = null;
  await station?.cleanup();
  station = null;
});

const headFile = (s: TestStation) => join(s.dataDir, 'custody-head.json');
const readHead = async (s: TestStation) =>
  JSON.parse(await readFile(headFile(s), 'utf8')) as { seq: number; hash: string };

/** Appends `n` entries through the contract (each a `settings.update`). */
async function work(s: TestStation, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await s.call('settings.update', { lockAfterMinutes: 10 + (i % 5) });
}

/** An engine on the station's data directory that nobody signs in to: only reading, or starting. */
async function openBare(s: TestStation): Promise<StationEngine> {
  bare = await createEngine({ dataDir: s.dataDir, runJobs: false, log: quietLogger() });
  return bare;
}

const verifyAsCli = (engine: StationEngine) => engine.call('custody.verify', {}, { sessionId: null, via: 'cli' });

describe('the newest entries removed while the station was closed', () => {
  it('is found at the next start, named, kept after the head is "fixed", and the head is not moved back', async () => {
    station = await openStation();
    await work(station, 4);
    await station.engine.close();
    const n = newestSeq(station.dataDir);
    const headBefore = await readFile(headFile(station), 'utf8');
    expect(JSON.parse(headBefore)).toMatchObject({ seq: n });

    tamper(station.dataDir, (db) => db.prepare('DELETE FROM custody WHERE seq > ?').run(n - 3));

    const engine = await openBare(station);
    const verdict = await verifyAsCli(engine);
    expect(verdict).toMatchObject({ ok: false, firstBroken: n - 2 });
    expect(verdict.problem).toContain(`${n - 2}–${n}`);
    expect(verdict.headProblems).toMatchObject([
      { kind: 'entriesRemoved', severity: 'problem', firstSeq: n - 2, lastSeq: n, headSeq: n, dbSeq: n - 3 },
    ]);
    // The start compared and recorded; it did not write a shorter head over the longer one.
    expect(await readFile(headFile(station), 'utf8')).toBe(headBefore);

    // An append reuses the removed seqs; the head still names the lost entry.
    await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
    await engine.close();
    bare = null;
    expect(await readFile(headFile(station), 'utf8')).toBe(headBefore);

    // Someone writes the database's head into the file: the recorded problem stays.
    const last = newestSeq(station.dataDir);
    let lastHash = '';
    tamper(station.dataDir, (db) => {
      lastHash = (db.prepare('SELECT hash FROM custody WHERE seq = ?').get(last) as { hash: string }).hash;
    });
    await writeFile(headFile(station), `${JSON.stringify({ seq: last, hash: lastHash })}\n`);
    const again = await openBare(station);
    const later = await verifyAsCli(again);
    expect(later.ok).toBe(false);
    expect(later.problem).toContain(`${n - 2}–${n}`);
    // Restarting does not record the same loss twice.
    expect(later.headProblems!.filter((p) => p.kind === 'entriesRemoved' || p.kind === 'entriesReplaced')).toHaveLength(
      1,
    );
  });
});

describe('the newest entries removed while the engine runs', () => {
  it('is noticed before the next append, with the seqs that were removed', async () => {
    station = await openStation();
    await work(station, 3);
    await station.call('custody.verify', {}); // waits for the head write after the last commit
    const n = newestSeq(station.dataDir);
    expect((await readHead(station)).seq).toBe(n);

    tamper(station.dataDir, (db) => db.prepare('DELETE FROM custody WHERE seq >= ?').run(n - 1));
    await work(station, 1);
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([{ kind: 'entriesRemoved', firstSeq: n - 1, lastSeq: n }]);
  });
});

describe('the head file edited or deleted', () => {
  it('a deleted head is recorded, then written again forward', async () => {
    station = await openStation();
    await work(station, 2);
    await station.engine.close();
    await unlink(headFile(station));
    const engine = await openBare(station);
    const verdict = await verifyAsCli(engine);
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([{ kind: 'headMissing', dbSeq: newestSeq(station.dataDir) }]);
    expect((await readHead(station)).seq).toBe(newestSeq(station.dataDir));
  });

  it('an unreadable head is recorded and kept aside as found, never silently replaced', async () => {
    station = await openStation();
    await work(station, 2);
    await station.engine.close();
    await writeFile(headFile(station), 'not a head at all');
    const engine = await openBare(station);
    const verdict = await verifyAsCli(engine);
    expect(verdict).toMatchObject({ ok: false, headProblems: [{ kind: 'headUnreadable' }] });
    const aside = (await readdir(station.dataDir)).filter((n) => n.startsWith('custody-head.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(station.dataDir, aside[0]!), 'utf8')).toBe('not a head at all');
  });

  it('a head edited while the engine runs is recorded at the next append and not overwritten by a value behind it', async () => {
    station = await openStation();
    await work(station, 2);
    await station.call('custody.verify', {}); // waits for the head write after the last commit
    const n = newestSeq(station.dataDir);
    const forged = `${JSON.stringify({ seq: n + 50, hash: 'f'.repeat(64) })}\n`;
    await writeFile(headFile(station), forged);
    await work(station, 1);
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems, JSON.stringify(verdict)).toMatchObject([{ kind: 'entriesRemoved', headSeq: n + 50 }]);
    expect(await readFile(headFile(station), 'utf8')).toBe(forged);
  });
});

describe('a crash between a commit and the head write', () => {
  it('is told apart from truncation: a note, the chain still verifies', async () => {
    station = await openStation();
    await work(station, 2);
    await station.engine.close();
    const n = newestSeq(station.dataDir);
    tamper(station.dataDir, (db) => appendOutside(db, 2));
    const engine = await openBare(station);
    const verdict = await verifyAsCli(engine);
    expect(verdict.ok, verdict.problem ?? '').toBe(true);
    expect(verdict.headProblems).toMatchObject([
      { kind: 'headBehind', severity: 'note', firstSeq: n + 1, lastSeq: n + 2 },
    ]);
    expect((await readHead(station)).seq).toBe(n + 2);
    // A note is no banner.
    const admin = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
    expect(await engine.call('custody.problems', { open: true }, { sessionId: admin.sessionId, via: 'test' })).toEqual(
      [],
    );
  });
});

describe('the banner and its acknowledgement', () => {
  it('lists an open problem to anyone signed in; only an admin acknowledges, on the custody record; verify still fails', async () => {
    station = await openStation();
    await station.call('accounts.create', { name: 'rita', password: 'reviewer password', role: 'reviewer' });
    await work(station, 3);
    await station.engine.close();
    const n = newestSeq(station.dataDir);
    tamper(station.dataDir, (db) => db.prepare('DELETE FROM custody WHERE seq = ?').run(n));
    await station.reopen();

    const rita = await station.call('auth.signIn', { name: 'rita', password: 'reviewer password' }, null);
    const open = await station.call('custody.problems', { open: true }, rita.sessionId);
    expect(open).toMatchObject([{ kind: 'entriesRemoved', firstSeq: n, lastSeq: n, acknowledgedAt: null }]);
    const id = open[0]!.id;
    expect(await codeOf(station.call('custody.acknowledge', { id }, rita.sessionId))).toBe('auth.forbidden');
    // Without a session, through the web host or the desktop app, nothing is listed.
    for (const via of ['http', 'ipc'] as const) {
      expect(await codeOf(station.engine.call('custody.problems', { open: true }, { sessionId: null, via }))).toBe(
        'auth.required',
      );
    }

    const acknowledged = await station.call('custody.acknowledge', { id });
    expect(acknowledged).toMatchObject({ id, acknowledgedBy: ADMIN.name });
    expect(await station.call('custody.problems', { open: true })).toEqual([]);
    expect(await codeOf(station.call('custody.acknowledge', { id }))).toBe('custody.problemNotFound');
    const entries = await station.call('custody.list', { offset: 0, limit: 500 });
    expect(entries.entries.filter((e) => e.action === 'custody.acknowledge')).toMatchObject([
      { actor: ADMIN.name, details: { problem: id, kind: 'entriesRemoved', firstSeq: n, lastSeq: n } },
    ]);
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([{ id, acknowledgedBy: ADMIN.name }]);
  });
});

describe('reading needs no session from a local host and appends nothing', () => {
  it('custody.verify, custody.list and station.check run for the CLI without a session; not for the web host or the app', async () => {
    station = await openStation();
    await work(station, 2);
    await station.engine.close();
    const before = newestSeq(station.dataDir);
    const headBefore = await readFile(headFile(station), 'utf8');
    const engine = await openBare(station);
    const cli = { sessionId: null, via: 'cli' } as const;
    expect((await engine.call('custody.verify', {}, cli)).ok).toBe(true);
    expect((await engine.call('custody.list', { offset: 0, limit: 10 }, cli)).total).toBe(before);
    expect((await engine.call('station.check', { rehash: false }, cli)).ok).toBe(true);
    for (const via of ['http', 'ipc'] as const) {
      expect(await codeOf(engine.call('custody.verify', {}, { sessionId: null, via }))).toBe('auth.required');
      expect(await codeOf(engine.call('station.check', { rehash: false }, { sessionId: null, via }))).toBe(
        'auth.required',
      );
    }
    // Writing still needs a session, even from the CLI.
    expect(await codeOf(engine.call('settings.update', { lockAfterMinutes: 3 }, cli))).toBe('auth.required');
    await engine.close();
    bare = null;
    expect(newestSeq(station.dataDir)).toBe(before);
    expect(await readFile(headFile(station), 'utf8')).toBe(headBefore);
  });
});
