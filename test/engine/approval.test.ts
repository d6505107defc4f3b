import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { canonicalJson } from '../../src/core/util/canonicalJson';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import type { CaseDetail, CaseListState } from '../../src/shared/reviewSchemas';
import { ApprovalStatement, type CaseVersion } from '../../src/shared/sealSchemas';
import { getMediaFixtures } from '../fixtures';
import { fileHashes } from '../support/packageChecks';
import { CLI_PASSWORD, runCli } from './cliRunner';
import { tamper } from './tamper';
import { codeOf, importedItem, openStation, type TestStation } from './harness';

/**
 * The approval workflow on a real station: a reviewer seals, supervisors review. Reviewers are
 * refused, and so is anyone who sealed or edited the version (by the custody log); a rejection
 * reopens the case while the rejected version stays exportable byte for byte; the diff says what
 * changed; an approved version's export carries a signed `seal/approval.json` that `verify` and
 * openssl accept and that no edit gets past; the table refuses an illegal step even from sqlite3;
 * the CLI's approve and reject as a script drives them.
 */

const run = promisify(execFile);

let station: TestStation;
const sessions: Record<'wang' | 'li' | 'zhao', string> = { wang: '', li: '', zhao: '' };
const ids = {} as Record<'h264' | 'review' | 'photo', { id: string; sha256: string }>;

const as = (who: keyof typeof sessions) => ({
  call: <M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> =>
    station.call(method, input, sessions[who]),
});

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait([fx.h264, fx.review, fx.photoGps]);
  ids.h264 = importedItem(record, 'h264.mp4');
  ids.review = importedItem(record, 'review.mp4');
  ids.photo = importedItem(record, 'photo_gps.jpg');
  for (const [name, role] of [
    ['wang', 'reviewer'],
    ['li', 'supervisor'],
    ['zhao', 'supervisor'],
  ] as const) {
    await station.call('accounts.create', { name, password: CLI_PASSWORD, role });
    sessions[name] = (await station.call('auth.signIn', { name, password: CLI_PASSWORD }, null)).sessionId;
  }
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

async function sealedBy(sealer: keyof typeof sessions, title: string, itemIds: string[]): Promise<CaseDetail> {
  const c = await as('wang').call('cases.create', { title, place: '南京东路' });
  await as('wang').call('cases.addItems', { caseId: c.id, itemIds });
  await as(sealer).call('cases.seal', { caseId: c.id });
  return as('wang').call('cases.get', { ref: c.id });
}

async function listed(state: CaseListState): Promise<string[]> {
  return (await station.call('cases.list', { state })).cases.map((c) => c.number);
}

async function exportTo(caseId: string, version: number, name: string): Promise<string> {
  const dir = join(station.root, name);
  await mkdir(dir, { recursive: true });
  const result = await station.call('cases.export', { caseId, version, to: dir, zip: false, jobId: `job-${name}` });
  return result.path;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

function opensslVerifyApproval(bagDir: string) {
  return run(
    'openssl',
    [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'seal/station.pub.pem',
      '-rawin',
      '-in',
      'seal/approval.json',
      '-sigfile',
      'seal/approval.json.sig',
    ],
    { cwd: bagDir },
  );
}

/** A writable copy of an exported package, to tamper with. */
async function copyOf(bagDir: string, name: string): Promise<string> {
  const dest = join(station.root, name);
  await cp(bagDir, dest, { recursive: true });
  await chmod(join(dest, 'seal'), 0o755);
  return dest;
}

describe('the approval workflow', () => {
  let a: CaseDetail;
  let v1Package: Record<string, string>;
  let approvedExport: string;

  beforeAll(async () => {
    a = await sealedBy('wang', '夜市占道经营 Night market', [ids.h264.id, ids.photo.id]);
    v1Package = await fileHashes(join(station.dataDir, 'packages', `${a.number}-v1`));
  }, 120_000);

  it('lists a freshly sealed version as waiting for review, with everything new in its diff', async () => {
    expect(a).toMatchObject({ state: 'sealed', version: 1, lastVersionState: 'sealed' });
    expect(await listed('sealed')).toContain(a.number);
    expect(await listed('draft')).not.toContain(a.number);
    const diff = await as('li').call('cases.versionDiff', { caseId: a.id, version: 1 });
    expect(diff).toMatchObject({ version: 1, previousVersion: null, itemsRemoved: [], tagsAdded: [] });
    expect(diff.itemsAdded.map((i) => i.id).sort()).toEqual([ids.h264.id, ids.photo.id].sort());
  });

  it('refuses a reviewer, in the engine', async () => {
    expect(await codeOf(as('wang').call('cases.approve', { caseId: a.id }))).toBe('approval.notSupervisor');
    expect(await codeOf(as('wang').call('cases.reject', { caseId: a.id, reason: 'no' }))).toBe(
      'approval.notSupervisor',
    );
  });

  it('rejects with a reason: the case reopens as version 2, version 1 stays sealed and byte for byte', async () => {
    expect(await codeOf(as('li').call('cases.reject', { caseId: a.id, reason: '  ' }))).toBe('input.invalid');
    const rejected = await as('li').call('cases.reject', { caseId: a.id, version: 1, reason: '缺少第二段录像' });
    expect(rejected).toMatchObject({
      version: 1,
      state: 'rejected',
      rejectedBy: 'li',
      rejectReason: '缺少第二段录像',
      reopenedBy: 'li',
      approvedBy: null,
    });
    const detail = await station.call('cases.get', { ref: a.id });
    expect(detail).toMatchObject({ state: 'draft', version: 2, lastVersionState: 'rejected' });
    expect(await listed('rejected')).toContain(a.number);
    expect(await listed('draft')).toContain(a.number);
    expect(await listed('sealed')).not.toContain(a.number);
    const log = await station.call('custody.list', { subject: a.id, limit: 500 });
    const entry = log.entries.find((e) => e.action === 'case.reject')!;
    expect(entry).toMatchObject({ actor: 'li', details: { version: 1, newVersion: 2, reason: '缺少第二段录像' } });
    expect(log.entries.filter((e) => e.action === 'case.reopen')).toEqual([]);
    // A second verdict on the same version is refused; so is a reopen of the new draft.
    expect(await codeOf(as('zhao').call('cases.approve', { caseId: a.id, version: 1 }))).toBe('approval.wrongState');
    expect(await codeOf(as('li').call('cases.reject', { caseId: a.id, reason: 'again' }))).toBe('approval.wrongState');
    expect(await codeOf(station.call('cases.reopen', { caseId: a.id, reason: 'x' }))).toBe('case.alreadyDraft');

    expect(await fileHashes(join(station.dataDir, 'packages', `${a.number}-v1`))).toEqual(v1Package);
    const exported = await exportTo(a.id, 1, 'usb-rejected');
    const copy = await fileHashes(exported);
    expect(Object.keys(copy).filter((p) => p.startsWith('seal/approval'))).toEqual([]);
    expect(await verifyPackage(exported)).toMatchObject({ ok: true, approval: null });
  });

  it('refuses the sealer and anyone who edited the version, and shows what changed', async () => {
    // The correction: wang adds the second recording with a tag, removes the photo, fixes the notes;
    // zhao, a supervisor, adds a tag of his own to an item of the version.
    await as('wang').call('cases.addItems', { caseId: a.id, itemIds: [ids.review.id] });
    await as('wang').call('tags.add', {
      itemId: ids.review.id,
      code: 'street-vending',
      fromSec: 0.5,
      toSec: 2,
      note: '占道',
    });
    await as('zhao').call('tags.add', { itemId: ids.review.id, code: 'street-vending', note: 'whole recording' });
    await as('wang').call('cases.removeItem', { caseId: a.id, itemId: ids.photo.id, reason: 'another case' });
    await as('wang').call('cases.update', { id: a.id, notes: '第二段录像已补充' });
    await as('wang').call('cases.seal', { caseId: a.id });

    const diff = await as('li').call('cases.versionDiff', { caseId: a.id, version: 2 });
    expect(diff.previousVersion).toBe(1);
    expect(diff.itemsAdded.map((i) => i.id)).toEqual([ids.review.id]);
    expect(diff.itemsRemoved.map((i) => i.id)).toEqual([ids.photo.id]);
    expect(diff.tagsAdded.map((t) => t.note).sort()).toEqual(['whole recording', '占道'].sort());
    expect(diff.tagsAdded.every((t) => t.itemId === ids.review.id)).toBe(true);
    expect(diff.fields).toMatchObject({ title: null, notes: { before: '', after: '第二段录像已补充' } });

    expect(await codeOf(as('wang').call('cases.approve', { caseId: a.id }))).toBe('approval.notSupervisor');
    const edited = await as('zhao')
      .call('cases.approve', { caseId: a.id })
      .then(
        () => null,
        (error: unknown) => error as { code: string; params: Record<string, unknown> },
      );
    expect(edited).toMatchObject({
      code: 'approval.ownEdit',
      params: { number: a.number, version: 2, action: 'tag.add' },
    });
    expect(await codeOf(as('zhao').call('cases.reject', { caseId: a.id, reason: 'x' }))).toBe('approval.ownEdit');

    // A supervisor may seal; then someone else reviews.
    const b = await sealedBy('li', 'Sealed by a supervisor', [ids.h264.id]);
    expect(await codeOf(as('li').call('cases.approve', { caseId: b.id }))).toBe('approval.ownSeal');
    expect(await codeOf(as('li').call('cases.reject', { caseId: b.id, reason: 'x' }))).toBe('approval.ownSeal');
    // Nothing was recorded for the refusals.
    const log = await station.call('custody.list', { subject: a.id, limit: 500 });
    expect(log.entries.filter((e) => e.action === 'case.approve')).toEqual([]);
  });

  it('approves: the entry names the signed statement, and the version moves on only by legal steps', async () => {
    // li rejected version 1; rejecting shapes nothing in version 2, so li may review it.
    const approved = await as('li').call('cases.approve', { caseId: a.id });
    expect(approved).toMatchObject({ version: 2, state: 'approved', approvedBy: 'li', rejectedBy: null });
    expect(await codeOf(as('li').call('cases.approve', { caseId: a.id }))).toBe('approval.wrongState');
    expect(await codeOf(as('li').call('cases.reject', { caseId: a.id, reason: 'late' }))).toBe('approval.wrongState');
    expect(await station.call('cases.get', { ref: a.id })).toMatchObject({ state: 'approved', version: 2 });
    expect(await listed('approved')).toContain(a.number);
    expect(await listed('sealed')).not.toContain(a.number);

    // Even sqlite3 on the file cannot skip the upload steps or unseal the version.
    const db = new Database(join(station.dataDir, 'station.db'));
    try {
      expect(() =>
        db
          .prepare(
            `UPDATE case_versions SET state = 'synced', synced_at = 'x', sync_seq = 1 WHERE case_id = ? AND version = 2`,
          )
          .run(a.id),
      ).toThrow(/legal review step/);
      expect(() =>
        db.prepare(`UPDATE case_versions SET state = 'sealed' WHERE case_id = ? AND version = 2`).run(a.id),
      ).toThrow(/legal review step/);
      expect(() =>
        db.prepare(`UPDATE case_versions SET approved_by = 'zhao' WHERE case_id = ? AND version = 2`).run(a.id),
      ).toThrow(/never changed/);
    } finally {
      db.close();
    }

    approvedExport = await exportTo(a.id, 2, 'usb-approved');
    const text = await readFile(join(approvedExport, 'seal/approval.json'), 'utf8');
    const statement = ApprovalStatement.parse(JSON.parse(text));
    expect(canonicalJson(statement)).toBe(text);
    const tagManifest = await readFile(join(approvedExport, 'tagmanifest-sha256.txt'));
    const own = await station.call('station.key', {});
    expect(statement).toMatchObject({
      caseNumber: a.number,
      caseVersion: 2,
      approvedBy: 'li',
      sealedBy: 'wang',
      approvedAt: approved.approvedAt,
      tagManifestSha256: sha256(tagManifest),
      keyFingerprint: own.fingerprint,
    });
    expect(statement.tagManifestSha256).toBe(approved.tagManifestSha256);
    const log = await station.call('custody.list', { subject: a.id, limit: 500 });
    expect(log.entries.find((e) => e.action === 'case.approve')).toMatchObject({
      actor: 'li',
      details: { version: 2, approvalSha256: sha256(text), tagManifestSha256: approved.tagManifestSha256 },
    });
    expect(log.entries.find((e) => e.action === 'case.export' && e.details.version === 2)).toMatchObject({
      details: { approvalCarried: true },
    });

    const report = await verifyPackage(approvedExport, { expectFingerprint: own.fingerprint });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, approval: { by: 'li', at: approved.approvedAt, verified: true } });
    expect(report.checks).toContainEqual({ name: 'approval', ok: true });
    expect((await opensslVerifyApproval(approvedExport)).stdout).toMatch(/Signature Verified Successfully/);
    // The sealed bytes are those of the store: the approval is outside the tag manifest.
    const store = await fileHashes(join(station.dataDir, 'packages', `${a.number}-v2`));
    const copied = await fileHashes(approvedExport);
    for (const [path, hash] of Object.entries(store)) expect(copied[path], path).toBe(hash);
  });

  it('finds an edited approval, a broken signature, a stray signature, and an approval moved to another version', async () => {
    const edited = await copyOf(approvedExport, 'tampered-text');
    const text = await readFile(join(edited, 'seal/approval.json'), 'utf8');
    const forged = canonicalJson({ ...JSON.parse(text), approvedBy: 'zhao' });
    await rm(join(edited, 'seal/approval.json'), { force: true });
    await writeFile(join(edited, 'seal/approval.json'), forged);
    const r1 = await verifyPackage(edited);
    expect(r1.ok).toBe(false);
    expect(r1.problems).toEqual([expect.objectContaining({ kind: 'approval', path: 'seal/approval.json.sig' })]);
    expect(r1.approval).toMatchObject({ by: 'zhao', verified: false });
    await expect(opensslVerifyApproval(edited)).rejects.toThrow();

    const badSig = await copyOf(approvedExport, 'tampered-sig');
    const sig = await readFile(join(badSig, 'seal/approval.json.sig'));
    sig.writeUInt8(sig.readUInt8(10) ^ 0x01, 10);
    await rm(join(badSig, 'seal/approval.json.sig'), { force: true });
    await writeFile(join(badSig, 'seal/approval.json.sig'), sig);
    const r2 = await verifyPackage(badSig);
    expect(r2.problems.map((p) => p.kind)).toEqual(['approval']);
    expect(r2.checks).toContainEqual({ name: 'approval', ok: false });

    const stray = await copyOf(approvedExport, 'tampered-stray');
    await rm(join(stray, 'seal/approval.json'), { force: true });
    expect((await verifyPackage(stray)).problems).toEqual([
      expect.objectContaining({ kind: 'approval', path: 'seal/approval.json.sig' }),
    ]);

    // Version 2's genuine approval beside version 1's package: signed, but not of this package.
    const moved = await copyOf(await exportTo(a.id, 1, 'usb-v1-again'), 'tampered-moved');
    await cp(join(approvedExport, 'seal/approval.json'), join(moved, 'seal/approval.json'));
    await cp(join(approvedExport, 'seal/approval.json.sig'), join(moved, 'seal/approval.json.sig'));
    await opensslVerifyApproval(moved);
    const r4 = await verifyPackage(moved);
    expect(r4.ok).toBe(false);
    expect(r4.problems.map((p) => p.kind)).toEqual(['approval', 'approval']);
    expect(r4.problems.map((p) => p.detail).join('\n')).toMatch(/tag manifest/);
    expect(r4.problems.map((p) => p.detail).join('\n')).toMatch(/approves version 2; the package is version 1/);
  });

  it('exports no approval whose stored copy no longer matches its custody entry', async () => {
    const where = 'WHERE case_id = ? AND version = 2';
    let original = '';
    tamper(station.dataDir, (db) => {
      original = (db.prepare(`SELECT approval_statement AS s FROM case_versions ${where}`).get(a.id) as { s: string })
        .s;
      const forged = canonicalJson({ ...JSON.parse(original), approvedBy: 'zhao' });
      db.prepare(`UPDATE case_versions SET approval_statement = ?, approved_by = 'zhao' ${where}`).run(forged, a.id);
    });
    try {
      expect(await codeOf(exportTo(a.id, 2, 'usb-forged-row'))).toBe('export.failed');
    } finally {
      tamper(station.dataDir, (db) =>
        db.prepare(`UPDATE case_versions SET approval_statement = ?, approved_by = 'li' ${where}`).run(original, a.id),
      );
    }
    expect(await codeOf(exportTo(a.id, 2, 'usb-restored-row'))).toBe('resolved');
  });

  it('lets the command line approve and reject as a script would, with refusals in words', async () => {
    const b = (await station.call('cases.list', { text: 'Sealed by a supervisor' })).cases[0]!;
    const c = await sealedBy('wang', 'Sent back from the command line', [ids.h264.id]);
    // The CLI opens the station itself once no engine holds it.
    await station.engine.close();
    const cli = (args: string[]) => runCli([...args, '--data', station.dataDir]);

    const reviewer = await cli(['approve', b.number, '--user', 'wang']);
    expect(reviewer.code).toBe(1);
    expect(reviewer.stderr).toContain('Only a supervisor or an administrator can approve or reject');
    const sealer = await cli(['approve', b.number, '--user', 'li']);
    expect(sealer.code).toBe(1);
    expect(sealer.stderr).toContain(`You sealed version 1 of case ${b.number}`);
    const approved = await cli(['approve', b.number, '--version', '1', '--user', 'zhao', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout) as CaseVersion).toMatchObject({ state: 'approved', approvedBy: 'zhao' });

    expect((await cli(['reject', c.number, '--user', 'zhao'])).code).toBe(2);
    const rejected = await cli(['reject', c.number, '--reason', 'wrong place', '--user', 'zhao']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toContain(`rejected ${c.number} version 1 by zhao`);
    expect(rejected.stdout).toContain('version 2 (a draft)');
    const versions = await cli(['case', 'versions', c.number, '--user', 'zhao', '--json']);
    expect(JSON.parse(versions.stdout) as CaseVersion[]).toEqual([
      expect.objectContaining({ state: 'rejected', rejectReason: 'wrong place' }),
    ]);

    const diff = await cli(['case', 'diff', a.number, '--user', 'zhao']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`${a.number} version 2 against version 1`);
    expect(diff.stdout).toMatch(/^\+ item {2}[0-9a-f]{12} {2}review\.mp4$/m);
    expect(diff.stdout).toMatch(/^- item {2}[0-9a-f]{12} {2}photo_gps\.jpg$/m);

    const verified = await runCli(['verify', approvedExport]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/approved by li at .* \(signature and package agree\)/);
  }, 120_000);
});
