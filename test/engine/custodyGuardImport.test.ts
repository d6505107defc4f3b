import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, openStation, removeTree, type TestStation } from './harness';
import { newestSeq, tamper } from './tamper';

/**
 * Every custody append goes through the engine's one guard (`custody/guardedAppend.ts`), imports
 * included: what happened to the chain or its head file between two imports is judged before the
 * second import's first entry, against the chain as it was, and the head file found naming the
 * problem is kept, never written over.
 */

let station: TestStation | null = null;
let cards: string | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
  if (cards) await removeTree(cards);
  cards = null;
});

const headFile = (s: TestStation): string => join(s.dataDir, 'custody-head.json');

/** A one-file card (a new file each time: no duplicate), imported to its end. */
async function importCard(s: TestStation, name: string): Promise<void> {
  cards ??= await makeTempDir('guard-cards');
  const dir = join(cards, name);
  await mkdir(dir);
  const file = join(dir, 'clip.mp4');
  await writeFile(file, `card ${name}\n`);
  await truncate(file, 4096);
  const { importId } = await s.call('import.start', { paths: [dir] });
  await s.engine.waitForImport(importId);
  // custody.verify waits for the head write after the last commit.
  await s.call('custody.verify', {});
}

describe('custody appends of imports go through the before-append check', () => {
  it('entries removed between two imports are named as removed, before their seqs are reused', async () => {
    station = await openStation();
    await importCard(station, 'first');
    const n = newestSeq(station.dataDir);
    tamper(station.dataDir, (db) => db.prepare('DELETE FROM custody WHERE seq >= ?').run(n - 1));
    await importCard(station, 'second');
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([{ kind: 'entriesRemoved', firstSeq: n - 1, lastSeq: n, headSeq: n }]);
  });

  it('a head file edited ahead between two imports is named as removed entries and kept as found', async () => {
    station = await openStation();
    await importCard(station, 'first');
    const n = newestSeq(station.dataDir);
    const forged = `${JSON.stringify({ seq: n + 2, hash: 'f'.repeat(64) })}\n`;
    await writeFile(headFile(station), forged);
    // import.start, import, import.finish: the chain grows past the forged seq.
    await importCard(station, 'second');
    expect(newestSeq(station.dataDir)).toBeGreaterThan(n + 2);
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([
      { kind: 'entriesRemoved', headSeq: n + 2, dbSeq: n, firstSeq: n + 1, lastSeq: n + 2 },
    ]);
    const aside = (await readdir(station.dataDir)).filter((f) => f.startsWith('custody-head.json.found-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(station.dataDir, aside[0]!), 'utf8')).toBe(forged);
  });

  it('a head file truncated between two imports is judged before the first new entry and kept as found', async () => {
    station = await openStation();
    await importCard(station, 'first');
    const n = newestSeq(station.dataDir);
    const text = await readFile(headFile(station), 'utf8');
    const truncated = text.slice(0, 9);
    await writeFile(headFile(station), truncated);
    await importCard(station, 'second');
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.headProblems).toMatchObject([{ kind: 'headUnreadable', dbSeq: n }]);
    const aside = (await readdir(station.dataDir)).filter((f) => f.startsWith('custody-head.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(await readFile(join(station.dataDir, aside[0]!), 'utf8')).toBe(truncated);
  });
});
