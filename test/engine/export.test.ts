import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { fileHashes } from '../support/packageChecks';
import { codeOf, makeTempDir, openStation, removeTree, type TestStation } from './harness';

/**
 * Exporting sealed versions on a real station: a folder and a zip, each read back and verified,
 * with its progress and its custody entry; version 1 exported after a reopen and a second seal is
 * byte for byte what it was; a target that is missing or too small fails cleanly, on the record.
 */

const run = promisify(execFile);
let station: TestStation;
let target: string;
let sealedCase: CaseDetail;
let storePath: string;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  target = await makeTempDir('medium');
  const record = await station.importAndWait([fx.h264, fx.chineseName]);
  sealedCase = await station.call('cases.create', { title: 'Export me' });
  await station.call('cases.addItems', { caseId: sealedCase.id, itemIds: record.files.map((f) => f.itemId!) });
  storePath = (await station.call('cases.seal', { caseId: sealedCase.id })).path;
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await removeTree(target);
});

const withoutCheckpoint = (t: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(t).filter(([p]) => !p.startsWith('seal/custody-checkpoint')));

const exportsOf = async (caseId: string) =>
  (await station.call('custody.list', { subject: caseId, limit: 500 })).entries.filter(
    (e) =>
      // The outcomes; each export's start (`case.export.started`) is recorded too.
      e.action.startsWith('case.export') && e.action !== 'case.export.started',
  );

describe('cases.export', () => {
  it('writes the folder, verifies it, reports progress and records it', async () => {
    const phases = new Set<string>();
    const off = station.engine.on('export.progress', (p) => {
      if (p.jobId === 'export-job-1') phases.add(p.phase);
    });
    const result = await station.call('cases.export', {
      caseId: sealedCase.id,
      to: target,
      zip: false,
      jobId: 'export-job-1',
    });
    off();
    expect(result).toMatchObject({ path: join(target, `${sealedCase.number}-v1`), verified: true, version: 1 });
    expect(phases).toEqual(new Set(['copy', 'verify']));
    // The sealed bytes as in the store, plus the custody checkpoint the copy carries (outside the tag manifest).
    const copied = await fileHashes(result.path);
    expect(
      Object.keys(copied)
        .filter((p) => p.startsWith('seal/custody-checkpoint'))
        .sort(),
    ).toEqual(['seal/custody-checkpoint.json', 'seal/custody-checkpoint.json.sig']);
    expect(withoutCheckpoint(copied)).toEqual(await fileHashes(storePath));
    const own = await station.call('station.key', {});
    const verdict = await verifyPackage(result.path, { expectFingerprint: own.fingerprint });
    expect(verdict).toMatchObject({ ok: true, checkpoint: { verified: true } });
    const [entry] = await exportsOf(sealedCase.id);
    expect(entry).toMatchObject({
      action: 'case.export',
      actor: 'admin',
      details: { version: 1, format: 'folder', destination: result.path, bytes: result.bytes, outcome: 'verified' },
    });
  });

  it('writes a zip beside it without overwriting, and it verifies', async () => {
    const result = await station.call('cases.export', {
      caseId: sealedCase.id,
      to: target,
      zip: true,
      jobId: 'export-job-2',
    });
    // The folder took the name: the zip gets the next free one (an export never overwrites).
    expect(result.path).toBe(join(target, `${sealedCase.number}-v1_2.zip`));
    expect(await station.call('package.verify', { path: result.path })).toMatchObject({
      ok: true,
      keyTrust: 'station',
    });
    const again = await station.call('cases.export', {
      caseId: sealedCase.id,
      to: target,
      zip: false,
      jobId: 'export-job-3',
    });
    expect(again.path).not.toBe(join(target, `${sealedCase.number}-v1`));
    expect((await exportsOf(sealedCase.id)).map((e) => e.details.format)).toEqual(['folder', 'zip', 'folder']);
  });

  it('exports version 1 byte for byte after the case was reopened and sealed again', async () => {
    const before = await fileHashes(storePath);
    await station.call('cases.reopen', { caseId: sealedCase.id, reason: 'add the note' });
    await station.call('cases.update', { id: sealedCase.id, notes: 'second look' });
    await station.call('cases.seal', { caseId: sealedCase.id });
    const dir = await makeTempDir('medium-v1');
    try {
      const v1 = await station.call('cases.export', {
        caseId: sealedCase.id,
        version: 1,
        to: dir,
        zip: false,
        jobId: 'export-job-4',
      });
      expect(withoutCheckpoint(await fileHashes(v1.path))).toEqual(before);
      const latest = await station.call('cases.export', {
        caseId: sealedCase.id,
        to: dir,
        zip: false,
        jobId: 'export-job-5',
      });
      expect(latest.version).toBe(2);
      expect(latest.path).toBe(join(dir, `${sealedCase.number}-v2`));
    } finally {
      await removeTree(dir);
    }
  });

  it('refuses a missing target, an unsealed case and an unknown version, on the record when it tried', async () => {
    const missing = join(target, 'no-such-folder');
    expect(
      await codeOf(
        station.call('cases.export', { caseId: sealedCase.id, to: missing, zip: false, jobId: 'export-job-6' }),
      ),
    ).toBe('export.destination');
    const draft = await station.call('cases.create', { title: 'Never sealed' });
    expect(
      await codeOf(station.call('cases.export', { caseId: draft.id, to: target, zip: false, jobId: 'export-job-7' })),
    ).toBe('case.notSealed');
    expect(
      await codeOf(
        station.call('cases.export', {
          caseId: sealedCase.id,
          version: 9,
          to: target,
          zip: false,
          jobId: 'export-job-8',
        }),
      ),
    ).toBe('case.versionNotFound');
  });
});

const mountDir = await makeTempDir('export-tmpfs');
const mountProblem = await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountDir]).then(
  () => null,
  (error: unknown) => (error as Error).message.split('\n')[0] ?? 'mount failed',
);
if (mountProblem) await rm(mountDir, { recursive: true, force: true });

describe.skipIf(mountProblem !== null)(
  `export to a full medium${mountProblem ? ` — skipped: mounting a tmpfs failed (needs Linux and root): ${mountProblem}` : ''}`,
  () => {
    afterAll(async () => {
      await run('umount', [mountDir]);
      await rm(mountDir, { recursive: true, force: true });
    });

    it('fails cleanly: nothing left on the medium, the failure on the record', async () => {
      const medium = join(mountDir, 'usb');
      await mkdir(medium);
      const fs = await statfs(mountDir);
      // Leave a little room, far less than the package needs.
      await writeFile(join(mountDir, 'ballast'), Buffer.alloc(fs.bavail * fs.bsize - 64 * 1024));
      const failure = await station
        .call('cases.export', { caseId: sealedCase.id, to: medium, zip: false, jobId: 'export-full-1' })
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failure).toMatchObject({ code: expect.stringMatching(/^export\.(insufficientSpace|failed)$/) });
      expect(await readdir(medium)).toEqual([]);
      const failed = (await exportsOf(sealedCase.id)).filter((e) => e.action === 'case.export.failed');
      expect(failed.at(-1)?.details).toMatchObject({
        destination: medium,
        outcome: (failure as { code: string }).code,
      });
    });
  },
);
