import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/core/engineApi';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { CheckpointStatement } from '../../src/shared/custodySchemas';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { codeOf, makeTempDir, openStation, removeTree, type TestStation } from './harness';

/**
 * The gaps of the export a red-team pass found, each on a real station: the copy carries the
 * station's signed custody checkpoint and `verify` checks it; a reviewer in a UI host exports only
 * where the source policy allows; nothing is sealed or exported while a custody problem waits for
 * an admin.
 */

const run = promisify(execFile);
const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;

let station: TestStation;
let medium: string;
let sealed: CaseDetail;
let draft: CaseDetail;
let chainHeadSeq: number;
let jobs = 0;
const jobId = (): string => `export-gaps-${++jobs}`;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  medium = await makeTempDir('gaps-medium');
  const record = await station.importAndWait([fx.h264, fx.chineseName]);
  const ids = record.files.map((f) => f.itemId!);
  // An older checkpoint, signed at a sign-out before the case existed: a copy must not pass it off as its own.
  await station.call('auth.signOut', {});
  await station.reopen();
  sealed = await station.call('cases.create', { title: 'Carries a checkpoint' });
  await station.call('cases.addItems', { caseId: sealed.id, itemIds: [ids[0]!] });
  await station.call('cases.seal', { caseId: sealed.id });
  draft = await station.call('cases.create', { title: 'Sealed once the log is reviewed' });
  await station.call('cases.addItems', { caseId: draft.id, itemIds: [ids[1]!] });
  const info = await readFile(join(station.dataDir, 'packages', `${sealed.number}-v1`, 'bag-info.txt'), 'utf8');
  chainHeadSeq = Number(/^Custody-Chain-Head: (\d+) /m.exec(info)![1]);
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await removeTree(medium);
});

const openssl = (dir: string, file: string) =>
  run(
    'openssl',
    [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'seal/station.pub.pem',
      '-rawin',
      '-in',
      file,
      '-sigfile',
      `${file}.sig`,
    ],
    { cwd: dir },
  );

describe('an export carries the latest signed custody checkpoint', { timeout: 180_000 }, () => {
  let folder: string;

  it('as the signed statement and its raw signature, which openssl checks, signed after the seal', async () => {
    const result = await station.call('cases.export', { caseId: sealed.id, to: medium, zip: false, jobId: jobId() });
    folder = result.path;
    const { stdout } = await openssl(folder, 'seal/custody-checkpoint.json');
    expect(stdout).toContain('Signature Verified Successfully');
    const statement = CheckpointStatement.parse(
      JSON.parse(await readFile(join(folder, 'seal/custody-checkpoint.json'), 'utf8')),
    );
    const key = await station.call('station.key', {});
    expect(statement).toMatchObject({ keyFingerprint: key.fingerprint });
    // It covers the seal entry itself (chain head + 1), signed when the copy left.
    expect(statement.seq).toBeGreaterThan(chainHeadSeq);
    const report = await verifyPackage(folder, { expectFingerprint: key.fingerprint });
    expect(report).toMatchObject({
      ok: true,
      checkpoint: { seq: statement.seq, hash: statement.hash, verified: true },
      warnings: [],
    });
    const [entry] = (await station.call('custody.list', { subject: sealed.id, limit: 100 })).entries.filter(
      (e) => e.action === 'case.export',
    );
    expect(entry?.details).toMatchObject({ checkpoint: { seq: statement.seq, hash: statement.hash } });
    // The CLI shows it too.
    const human = await runCli(['verify', folder]);
    expect(human.stdout).toContain(`custody checkpoint: entry ${statement.seq}, hash ${statement.hash}`);
  });

  it('in a zip too', async () => {
    const result = await station.call('cases.export', { caseId: sealed.id, to: medium, zip: true, jobId: jobId() });
    const report = await station.call('package.verify', { path: result.path });
    expect(report).toMatchObject({ ok: true, checkpoint: { verified: true } });
    expect(report.checkpoint!.seq).toBeGreaterThan(chainHeadSeq);
  });

  it('a tampered, older, unsigned or half checkpoint is a named problem; none at all is fine', async () => {
    const copy = async (name: string) => {
      const dir = join(medium, name);
      await cp(folder, dir, { recursive: true });
      return dir;
    };
    const kinds = async (dir: string) => (await verifyPackage(dir)).problems.map((p) => `${p.kind} ${p.path}`).sort();

    // A signed seq moved forward, kept in canonical form: the signature no longer matches.
    const moved = await copy('moved');
    const text = await readFile(join(moved, 'seal/custody-checkpoint.json'), 'utf8');
    const statement = CheckpointStatement.parse(JSON.parse(text));
    await writeFile(
      join(moved, 'seal/custody-checkpoint.json'),
      text.replace(`"seq":${statement.seq}`, `"seq":${statement.seq + 5}`),
    );
    expect(await kinds(moved)).toEqual(['checkpoint seal/custody-checkpoint.json.sig']);

    // A genuine checkpoint of this station, but older than the package: it does not anchor it.
    const older = await copy('older');
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    const first = db.prepare('SELECT statement, signature FROM custody_checkpoints ORDER BY id LIMIT 1').get() as {
      statement: string;
      signature: string;
    };
    db.close();
    expect(CheckpointStatement.parse(JSON.parse(first.statement)).seq).toBeLessThan(chainHeadSeq);
    await writeFile(join(older, 'seal/custody-checkpoint.json'), first.statement);
    await writeFile(join(older, 'seal/custody-checkpoint.json.sig'), Buffer.from(first.signature, 'base64'));
    await openssl(older, 'seal/custody-checkpoint.json');
    const olderReport = await verifyPackage(older);
    expect(olderReport.problems).toEqual([
      expect.objectContaining({
        kind: 'checkpoint',
        detail: expect.stringContaining("older than the package's chain head"),
      }),
    ]);

    const unsigned = await copy('unsigned');
    await unlink(join(unsigned, 'seal/custody-checkpoint.json.sig'));
    expect(await kinds(unsigned)).toEqual(['checkpoint seal/custody-checkpoint.json']);

    // Reformatted (still the same values): not the bytes that were signed.
    const pretty = await copy('pretty');
    await writeFile(join(pretty, 'seal/custody-checkpoint.json'), JSON.stringify(JSON.parse(text), null, 2));
    expect(await kinds(pretty)).toEqual(['checkpoint seal/custody-checkpoint.json']);

    const none = await copy('none');
    await rm(join(none, 'seal/custody-checkpoint.json'));
    await rm(join(none, 'seal/custody-checkpoint.json.sig'));
    expect(await verifyPackage(none)).toMatchObject({ ok: true, checkpoint: null });
  });
});

describe('where a package may go', { timeout: 180_000 }, () => {
  it('from a UI host, a reviewer exports only to removable media, home or an allowed folder', async () => {
    await station.call('accounts.create', REVIEWER);
    const reviewer = await station.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const outside = join(medium, 'not-allowed');
    await mkdir(outside);
    for (const via of ['http', 'ipc'] as const) {
      const ctx: CallContext = { sessionId: reviewer.sessionId, via };
      for (const to of [outside, '/etc', '/proc']) {
        expect([
          via,
          to,
          await codeOf(station.engine.call('cases.export', { caseId: sealed.id, to, zip: true, jobId: jobId() }, ctx)),
        ]).toEqual([via, to, 'export.destinationNotAllowed']);
      }
      // The data folder is refused as before, by name.
      expect(
        await codeOf(
          station.engine.call(
            'cases.export',
            { caseId: sealed.id, to: station.dataDir, zip: true, jobId: jobId() },
            ctx,
          ),
        ),
      ).toBe('export.destination');
    }
    // An admin allows the folder: the reviewer's export goes there.
    await station.call('settings.update', { importRoots: [outside] });
    const ok = await station.engine.call(
      'cases.export',
      { caseId: sealed.id, to: outside, zip: true, jobId: jobId() },
      { sessionId: reviewer.sessionId, via: 'http' },
    );
    expect(ok.path).toBe(join(outside, `${sealed.number}-v1.zip`));
    await station.call('settings.update', { importRoots: [] });
  });

  it('the CLI (the OS user) exports to any writable folder, never into the data folder', async () => {
    const anywhere = join(medium, 'cli-anywhere');
    await mkdir(anywhere);
    await station.engine.close();
    try {
      const ok = await runCli(['export', sealed.number, '--to', anywhere, '--json', '--data', station.dataDir]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toEqual({ path: join(anywhere, `${sealed.number}-v1`) });
      const refused = await runCli([
        'export',
        sealed.number,
        '--to',
        join(station.dataDir, 'tmp'),
        '--data',
        station.dataDir,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("inside the station's own data folder");
    } finally {
      await station.reopen();
    }
  });
});

describe('sealing and exporting wait for an admin to review custody problems', { timeout: 180_000 }, () => {
  it('refuses both while a problem is unacknowledged, and allows them after', async () => {
    await station.engine.close();
    // The head file gone: removed newest entries can no longer be ruled out.
    await unlink(join(station.dataDir, 'custody-head.json'));
    await station.reopen();
    const open = await station.call('custody.problems', { open: true });
    expect(open.map((p) => p.kind)).toEqual(['headMissing']);

    const seal = await station.call('cases.seal', { caseId: draft.id }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(seal).toMatchObject({ code: 'seal.custodyProblem', params: { count: 1 } });
    expect((await station.call('cases.get', { ref: draft.id })).state).toBe('draft');
    const target = join(medium, 'while-broken');
    await mkdir(target);
    expect(
      await codeOf(station.call('cases.export', { caseId: sealed.id, to: target, zip: false, jobId: jobId() })),
    ).toBe('export.custodyProblem');
    expect(await readFile(join(station.dataDir, 'custody-head.json'), 'utf8')).toBeTruthy();

    await station.call('custody.acknowledge', { id: open[0]!.id });
    expect((await station.call('cases.seal', { caseId: draft.id })).version).toBe(1);
    const exported = await station.call('cases.export', { caseId: sealed.id, to: target, zip: false, jobId: jobId() });
    expect((await verifyPackage(exported.path)).ok).toBe(true);
  });
});
