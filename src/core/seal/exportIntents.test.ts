import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { appendCustody, listCustody, type CustodyInput } from '../custody/custodyLog';
import { inTransaction, openDatabase, type WritableDB } from '../db/database';
import { migrate } from '../db/migrate';
import { closeInterruptedExports, EXPORT_INTERRUPTED, EXPORT_STARTED, planExport } from './exportIntents';

/**
 * The restart's half of an export killed mid-way, without the race of killing a process at the
 * right moment (test/engine/attack2.test.ts A2-10 does that, and may land either side of the
 * commit): a real station database holds the `case.export.started` entry the dead process left,
 * the medium holds what it left, and the next start closes the entry saying what is there.
 */

let dir: string;
let db: WritableDB;
const NOW = new Date('2026-12-03T10:00:00.000Z');

beforeEach(async () => {
  dir = await makeTempDir('export-intents');
  db = openDatabase(join(dir, 'station.db'));
  migrate(db);
});

afterEach(async () => {
  db.close();
  await removeTree(dir);
});

const append = (input: CustodyInput) => appendCustody(db, input);

function record(action: string, subject: string, details: Record<string, unknown>): number {
  return inTransaction(db, () =>
    append({
      at: '2026-12-03T18:00:00.000+08:00',
      actor: 'wang',
      station: 'station-1',
      action,
      subject,
      sha256: null,
      details,
    }),
  ).seq;
}

async function closeNow(): Promise<number> {
  return closeInterruptedExports({
    db,
    log: { warn: () => undefined },
    now: () => NOW,
    station: 'station-1',
    append,
  });
}

const interruptedEntries = () =>
  listCustody(db, { offset: 0, limit: 1000 }).entries.filter((e) => e.action === EXPORT_INTERRUPTED);

describe('closeInterruptedExports', () => {
  it('closes a start with no outcome, saying the copy took its final name', async () => {
    const medium = join(dir, 'usb');
    await mkdir(medium);
    const plan = await planExport(medium, 'ZF-2026-0001-v1', false);
    const startedSeq = record(EXPORT_STARTED, 'case-1', {
      number: 'ZF-2026-0001',
      version: 1,
      format: 'folder',
      ...plan,
    });
    // What a process killed after its rename leaves: the copy under its final name.
    await mkdir(join(medium, plan.name));
    await writeFile(join(medium, plan.name, 'bagit.txt'), 'BagIt-Version: 1.0\n');

    expect(await closeNow()).toBe(1);
    const [entry, ...more] = interruptedEntries();
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: 'station', subject: 'case-1' });
    expect(entry!.details).toEqual({
      startedSeq,
      number: 'ZF-2026-0001',
      version: 1,
      format: 'folder',
      destination: medium,
      name: 'ZF-2026-0001-v1',
      mediumReadable: true,
      finalPresent: true,
      finalEmpty: false,
      partials: [],
    });
    // Closed once: the next start finds nothing more to close.
    expect(await closeNow()).toBe(0);
    expect(interruptedEntries()).toHaveLength(1);
  });

  it('names the temporary copies and the empty placeholder a kill before the rename leaves', async () => {
    const medium = join(dir, 'usb');
    await mkdir(medium);
    const plan = await planExport(medium, 'ZF-2026-0002-v1', false);
    record(EXPORT_STARTED, 'case-2', { number: 'ZF-2026-0002', version: 1, format: 'folder', ...plan });
    await mkdir(join(medium, plan.name));
    const partial = `${plan.partialPrefix}a1b2c3`;
    await mkdir(join(medium, partial));
    await writeFile(join(medium, `${partial}.owner`), '{}');

    expect(await closeNow()).toBe(1);
    expect(interruptedEntries()[0]!.details).toMatchObject({
      mediumReadable: true,
      finalPresent: true,
      finalEmpty: true,
      partials: [partial],
    });
  });

  it('says the medium could not be read when it is gone', async () => {
    const plan = await planExport(join(dir, 'usb'), 'ZF-2026-0003-v1', false);
    record(EXPORT_STARTED, 'case-3', { number: 'ZF-2026-0003', version: 1, format: 'folder', ...plan });

    expect(await closeNow()).toBe(1);
    expect(interruptedEntries()[0]!.details).toMatchObject({
      mediumReadable: false,
      finalPresent: null,
      finalEmpty: null,
      partials: null,
    });
  });

  it('leaves alone a start its outcome names, and closes only the one nothing names', async () => {
    const medium = join(dir, 'usb');
    await mkdir(medium);
    const plan = await planExport(medium, 'ZF-2026-0004-v1', false);
    const done = record(EXPORT_STARTED, 'case-4', { number: 'ZF-2026-0004', version: 1, format: 'folder', ...plan });
    record('case.export', 'case-4', { number: 'ZF-2026-0004', version: 1, outcome: 'verified', startedSeq: done });
    const failed = record(EXPORT_STARTED, 'case-4', { number: 'ZF-2026-0004', version: 1, format: 'folder', ...plan });
    record('case.export.failed', 'case-4', { number: 'ZF-2026-0004', version: 1, startedSeq: failed });
    const lost = record(EXPORT_STARTED, 'case-4', { number: 'ZF-2026-0004', version: 1, format: 'folder', ...plan });

    expect(await closeNow()).toBe(1);
    expect(interruptedEntries().map((e) => e.details.startedSeq)).toEqual([lost]);
  });
});
