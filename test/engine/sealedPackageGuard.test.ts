import Database from 'better-sqlite3';
import { chmod, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceOfFailedCopy, versionSeal, type VersionSeal } from '../../src/core/seal/sealedPackageGuard';
import { AppError } from '../../src/shared/errors';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { codeOf, makeTempDir, openStation, removeTree, type TestStation } from './harness';
import { tamper } from './tamper';

/**
 * The sealed package an export sends and `check` vouches for is the one the `case.seal` entry
 * fixed (sealedPackageGuard.ts); attack2.test.ts (A2-1, A2-2, A2-7, A2-8, A2-10) has the attacks.
 */

let station: TestStation;
let medium: string;
let sealed: CaseDetail;
let packagePath: string;

beforeAll(async () => {
  station = await openStation();
  medium = await makeTempDir('sealguard-medium');
  const [file] = (await station.importAndWait([getMediaFixtures().h264])).files;
  sealed = await station.call('cases.create', { title: 'Guarded' });
  await station.call('cases.addItems', { caseId: sealed.id, itemIds: [file!.itemId!] });
  packagePath = (await station.call('cases.seal', { caseId: sealed.id })).path;
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await removeTree(medium);
});

/** The version's seal as sealedPackageGuard reads it, from the station's database file. */
function sealOf(): VersionSeal {
  const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
  try {
    return versionSeal(db, sealed.id, 1).seal!;
  } finally {
    db.close();
  }
}

const entriesOf = async (action: string) =>
  (await station.call('custody.list', { subject: sealed.id, limit: 500 })).entries.filter((e) => e.action === action);

describe('export of a sealed package', () => {
  it('records its start before the outcome, and the outcome names the start', async () => {
    const to = await makeTempDir('sealguard-ok');
    try {
      await station.call('cases.export', { caseId: sealed.id, to, zip: false, jobId: 'guard-ok' });
      const [started] = await entriesOf('case.export.started');
      const [done] = await entriesOf('case.export');
      expect(started?.details).toMatchObject({ destination: to, name: `${sealed.number}-v1`, version: 1 });
      expect(done?.details).toMatchObject({ startedSeq: started!.seq, outcome: 'verified' });
    } finally {
      await removeTree(to);
    }
  });

  it('refuses a missing package folder as package.damaged, and check names it', async () => {
    const away = `${packagePath}-away`;
    await rename(packagePath, away);
    try {
      const check = await station.call('station.check', { rehash: false });
      expect(check.problems.filter((p) => p.kind === 'package').map((p) => p.detail)).toEqual([
        expect.stringContaining('the sealed package folder is missing'),
      ]);
      const failure = await station
        .call('cases.export', { caseId: sealed.id, to: medium, zip: false, jobId: 'guard-missing' })
        .then(
          () => null,
          (e: unknown) => e as AppError,
        );
      expect(failure).toMatchObject({ code: 'package.damaged', params: { number: sealed.number, version: 1 } });
      expect(failure!.params.reason).toContain('the sealed package folder is missing');
      expect(await readdir(medium)).toEqual([]);
      expect((await entriesOf('case.export.failed')).at(-1)?.details).toMatchObject({ outcome: 'package.damaged' });
    } finally {
      await rename(away, packagePath);
    }
  });

  it('refuses, and check names, a version row pointing at an entry that is not its seal', async () => {
    const [created] = await entriesOf('case.create');
    const sealSeq = sealOf().sealSeq;
    tamper(station.dataDir, (db) =>
      db.prepare('UPDATE case_versions SET seal_seq = ? WHERE case_id = ?').run(created!.seq, sealed.id),
    );
    try {
      await station.reopen();
      const check = await station.call('station.check', { rehash: false });
      const details = check.problems.filter((p) => p.kind === 'package').map((p) => p.detail);
      expect(details).toContain(`${sealed.number} v1: custody entry ${created!.seq} is not the seal of this version`);
      expect(details).toContain(`custody entry ${sealSeq} seals a version that has no version record`);
      expect(
        await codeOf(station.call('cases.export', { caseId: sealed.id, to: medium, zip: false, jobId: 'guard-row' })),
      ).toBe('package.damaged');
    } finally {
      tamper(station.dataDir, (db) =>
        db.prepare('UPDATE case_versions SET seal_seq = ? WHERE case_id = ?').run(sealSeq, sealed.id),
      );
      await station.reopen();
    }
    expect((await station.call('station.check', { rehash: true })).problems).toEqual([]);
  });
});

describe('a copy that did not verify', () => {
  it('is the medium’s fault while the store is intact, and package.damaged once a stored byte changed', async () => {
    const found = { dir: packagePath, seal: sealOf() };
    const copyFailed = new AppError('export.verifyFailed', { problems: 1 });
    expect(await sourceOfFailedCopy(found, copyFailed)).toBe(copyFailed);
    const file = join(packagePath, 'data/report.html');
    const original = await readFile(file);
    await chmod(file, 0o644);
    const changed = Buffer.from(original);
    changed[20] = changed[20]! ^ 0x01;
    await writeFile(file, changed);
    try {
      const blamed = await sourceOfFailedCopy(found, copyFailed);
      expect(blamed).toMatchObject({ code: 'package.damaged' });
      expect(blamed.params.reason).toContain('data/report.html is not the one sealed');
      // Any other failure is left as it is.
      const full = new AppError('export.insufficientSpace');
      expect(await sourceOfFailedCopy(found, full)).toBe(full);
    } finally {
      await writeFile(file, original);
      await chmod(file, 0o444);
    }
  });
});
