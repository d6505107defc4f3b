import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { openStation, type TestStation } from './harness';

/**
 * Recovery never deletes what it cannot prove is its own half-written output. In
 * `<data>/packages/`, a sealed version's package is never touched, writeBag's temporary folder
 * may go, and anything else is moved aside to quarantine, recorded and listed by `check`. A seal
 * that finds something in the way of its folder does the same.
 */

let station: TestStation;
let sealed: CaseDetail;
let sealedName: string;

async function tree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

beforeAll(async () => {
  station = await openStation();
  const record = await station.importAndWait([getMediaFixtures().h264]);
  sealed = await station.call('cases.create', { title: 'Sealed before the crash' });
  await station.call('cases.addItems', { caseId: sealed.id, itemIds: [record.files[0]!.itemId!] });
  const result = await station.call('cases.seal', { caseId: sealed.id });
  sealedName = `${sealed.number}-v1`;
  expect(result.path).toBe(join(station.dataDir, 'packages', sealedName));
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

const packages = () => join(station.dataDir, 'packages');
const quarantined = () => join(station.dataDir, 'quarantine', 'packages');

describe('packages/ at start', { timeout: 120_000 }, () => {
  it('keeps sealed packages, removes seal temp folders, quarantines the rest, and check lists it', async () => {
    const sealedBefore = await tree(join(packages(), sealedName));
    await station.engine.close();
    // A complete-looking package no version names (a crash between the bag's rename and the commit,
    // or a folder copied in): it may be evidence someone needs.
    const leftover = join(packages(), 'ZF-LEFTOVER-v1');
    await mkdir(join(leftover, 'data'), { recursive: true });
    await writeFile(join(leftover, 'data', 'x.bin'), 'half a package');
    await writeFile(join(leftover, 'tagmanifest-sha256.txt'), 'a tag manifest\n');
    await chmod(join(leftover, 'data'), 0o555);
    await writeFile(join(packages(), 'notes.txt'), 'someone left this here');
    // writeBag's temporary folder: never a complete bag, never named as one.
    const temp = join(packages(), 'ZF-TEMP-v1.partial-0123456789ab');
    await mkdir(join(temp, 'data'), { recursive: true });
    await writeFile(join(temp, 'data', 'y.bin'), 'being written');
    // Looks like a temp name, but not writeBag's: not provably ours.
    await mkdir(join(packages(), 'ZF-ODD-v1.partial-not-hex'));

    await station.reopen();
    expect(await readdir(packages())).toEqual([sealedName]);
    expect(await tree(join(packages(), sealedName))).toEqual(sealedBefore);
    expect((await readdir(quarantined())).sort()).toEqual(['ZF-LEFTOVER-v1', 'ZF-ODD-v1.partial-not-hex', 'notes.txt']);
    expect(await readFile(join(quarantined(), 'ZF-LEFTOVER-v1', 'data', 'x.bin'), 'utf8')).toBe('half a package');
    expect(await readFile(join(quarantined(), 'notes.txt'), 'utf8')).toBe('someone left this here');
    expect(station.log.lines).toContainEqual(
      expect.objectContaining({
        message: 'removed the temporary folder of a seal that was interrupted',
        fields: { name: 'ZF-TEMP-v1.partial-0123456789ab' },
      }),
    );

    const check = await station.call('station.check', { rehash: false });
    expect(check.ok).toBe(false);
    const listed = check.problems.filter((p) => p.kind === 'quarantined');
    expect(listed.map((p) => /quarantine\/packages\/\S+/.exec(p.detail)?.[0]).sort()).toEqual([
      'quarantine/packages/ZF-LEFTOVER-v1',
      'quarantine/packages/ZF-ODD-v1.partial-not-hex',
      'quarantine/packages/notes.txt',
    ]);
    // A folder is named by its tag manifest's hash, the way a seal entry names a package.
    const tagHash = createHash('sha256').update('a tag manifest\n').digest('hex');
    expect(listed.find((p) => p.detail.includes('ZF-LEFTOVER-v1'))?.sha256).toBe(tagHash);
    const entries = (await station.call('custody.list', { limit: 500 })).entries.filter(
      (e) => e.action === 'store.quarantined',
    );
    expect(entries.map((e) => e.details.from).sort()).toEqual([
      'packages/ZF-LEFTOVER-v1',
      'packages/ZF-ODD-v1.partial-not-hex',
      'packages/notes.txt',
    ]);

    // The next start finds nothing new to move.
    await station.reopen();
    expect((await readdir(quarantined())).sort()).toHaveLength(3);
  });

  it('a seal moves whatever is in the way of its folder to quarantine instead of deleting it', async () => {
    await station.call('cases.reopen', { caseId: sealed.id, reason: 'second look' });
    const inTheWay = join(packages(), `${sealed.number}-v2`);
    await mkdir(inTheWay);
    await writeFile(join(inTheWay, 'mine.txt'), 'copied here by hand');
    const v2 = await station.call('cases.seal', { caseId: sealed.id });
    expect(v2.version).toBe(2);
    expect(await readFile(join(quarantined(), `${sealed.number}-v2`, 'mine.txt'), 'utf8')).toBe('copied here by hand');
    expect(await readdir(v2.path)).toContain('bagit.txt');
  });
});
