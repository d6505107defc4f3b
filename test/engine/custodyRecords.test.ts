import { chmod, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStation, type TestStation } from './harness';
import { tamper } from './tamper';

/**
 * `check` cross-checks the records against the custody log (issue 10, section 2): an item row and
 * its file deleted, a case membership deleted or pointed at another entry, each named by item and
 * entry seq; and the data directory's modes. Real engine, real SQLite and files.
 */

let station: TestStation | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
});

/** Two items imported from plain files (non-media, so no media tools are needed). */
async function stationWithItems(): Promise<{ s: TestStation; items: { id: string; sha256: string; path: string }[] }> {
  const s = (station = await openStation());
  const source = join(s.root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'first statement\n');
  await writeFile(join(source, 'b.txt'), 'second statement\n');
  const record = await s.importAndWait([source], { includeNonMedia: true });
  const items = record.files.map((f) => ({ id: f.itemId!, sha256: f.sha256!, path: s.engine.storedPathOf(f.sha256!) }));
  expect(items).toHaveLength(2);
  return { s, items };
}

const checkAsCli = (s: TestStation) =>
  s.engine.call('station.check', { rehash: false }, { sessionId: null, via: 'cli' });

describe('check cross-checks the records', () => {
  it('names an entry whose item row and stored file were deleted', async () => {
    const { s, items } = await stationWithItems();
    expect((await checkAsCli(s)).ok).toBe(true);
    const victim = items[0]!;
    const { entries } = await s.call('custody.list', { subject: victim.id, offset: 0, limit: 10 });
    const seq = entries.find((e) => e.action === 'import')!.seq;
    tamper(s.dataDir, (db) => db.prepare('DELETE FROM items WHERE id = ?').run(victim.id));
    const dir = join(victim.path, '..');
    await chmod(dir, 0o700);
    await chmod(victim.path, 0o600);
    await unlink(victim.path);

    const report = await checkAsCli(s);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'entryWithoutItem', itemId: victim.id, seq }),
    );
    const verdict = await s.engine.call('custody.verify', {}, { sessionId: null, via: 'cli' });
    expect(verdict).toMatchObject({ ok: false, firstBroken: seq, missingItems: [{ seq, itemId: victim.id }] });
    expect(verdict.problem).toContain(victim.id);
  });

  it('names a case membership without its entry, and an entry without its membership', async () => {
    const { s, items } = await stationWithItems();
    const created = await s.call('cases.create', { title: 'Parking, Main St' });
    await s.call('cases.addItems', { caseId: created.id, itemIds: items.map((i) => i.id) });
    expect((await checkAsCli(s)).ok).toBe(true);
    const entries = (await s.call('custody.list', { subject: created.id, offset: 0, limit: 10 })).entries.filter(
      (e) => e.action === 'case.addItem',
    );
    const [first, second] = entries;
    tamper(s.dataDir, (db) => {
      // One membership now claims the other's entry; the other's row is gone.
      db.prepare('DELETE FROM case_items WHERE added_seq = ?').run(second!.seq);
      db.prepare('UPDATE case_items SET added_seq = ? WHERE added_seq = ?').run(second!.seq, first!.seq);
    });
    const report = await checkAsCli(s);
    expect(report.ok).toBe(false);
    const memberships = report.problems.filter((p) => p.kind === 'membershipWithoutEntry');
    expect(memberships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: items[0]!.id, seq: second!.seq }),
        expect.objectContaining({ seq: first!.seq }),
      ]),
    );
  });
});

describe('modes of the data directory', () => {
  it('are 0700 and 0600 from creation; looser ones are reported, then repaired by an admin on the record', async () => {
    const s = (station = await openStation());
    await s.call('settings.update', { lockAfterMinutes: 7 });
    await s.call('custody.verify', {});
    const mode = async (rel: string) => (await stat(join(s.dataDir, rel))).mode & 0o777;
    expect(await mode('.')).toBe(0o700);
    expect(await mode('station.db')).toBe(0o600);
    expect(await mode('custody-head.json')).toBe(0o600);
    expect((await checkAsCli(s)).problems).toEqual([]);

    await chmod(s.dataDir, 0o755);
    await chmod(join(s.dataDir, 'station.db'), 0o644);
    const report = await checkAsCli(s);
    expect(report.ok).toBe(false);
    expect(report.problems.filter((p) => p.kind === 'looseMode').map((p) => p.path)).toEqual(['.', 'station.db']);

    const { repaired } = await s.call('station.repairModes', {});
    expect(repaired).toEqual(['.', 'station.db']);
    expect(await mode('.')).toBe(0o700);
    expect(await mode('station.db')).toBe(0o600);
    expect((await checkAsCli(s)).ok).toBe(true);
    const log = (await s.call('custody.list', { offset: 0, limit: 500 })).entries;
    expect(log.filter((e) => e.action === 'station.repairModes')).toMatchObject([
      { details: { repaired: ['.', 'station.db'] } },
    ]);
  });
});
