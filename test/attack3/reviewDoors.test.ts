import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseVersion } from '../../src/shared/sealSchemas';
import { CLI_PASSWORD, runCli } from '../engine/cliRunner';
import { codeOf, importedItem, openStation, type TestStation } from '../engine/harness';
import { makeEvidenceFile } from '../sync/syncFixtures';

/**
 * Red team, approval (issue 9): the review rules through the doors a hostile or unlucky account
 * would use: a session kept across a role change, a sealer demoted and promoted again, a reviewer
 * calling the sync settings, a superseded version, and two command-line reviews of one version at
 * the same moment (one of them must win, and the case must reopen once).
 */

let station: TestStation;
let itemIds: string[] = [];
const sessions: Record<string, string> = {};

async function signIn(name: string): Promise<string> {
  return (await station.call('auth.signIn', { name, password: CLI_PASSWORD }, null)).sessionId;
}

async function sealedCase(title: string, by: string | null = null): Promise<{ id: string; number: string }> {
  const session = by ? sessions[by]! : undefined;
  const c = await station.call('cases.create', { title, place: '南京东路' }, session);
  await station.call('cases.addItems', { caseId: c.id, itemIds }, session);
  const sealed = await station.call('cases.seal', { caseId: c.id }, session);
  return { id: c.id, number: sealed.case };
}

beforeAll(async () => {
  station = await openStation();
  for (const [name, role] of [
    ['li', 'supervisor'],
    ['zhao', 'supervisor'],
    ['wang', 'reviewer'],
  ] as const) {
    await station.call('accounts.create', { name, password: CLI_PASSWORD, role });
    sessions[name] = await signIn(name);
  }
  const file = await makeEvidenceFile(join(station.root, 'src'), 'evidence.bin', 64 * 1024);
  const record = await station.importAndWait([file], { includeNonMedia: true });
  itemIds = [importedItem(record, 'evidence.bin').id];
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

describe('review rules through every door', () => {
  it('ends the open sessions of a demoted supervisor, and refuses the review once signed in again', async () => {
    const c = await sealedCase('Demoted mid-session');
    await station.call('accounts.setRole', { name: 'li', role: 'reviewer' });
    try {
      expect(await codeOf(station.call('cases.approve', { caseId: c.id }, sessions.li))).toBe('auth.required');
      const demoted = await signIn('li');
      expect(await codeOf(station.call('cases.approve', { caseId: c.id }, demoted))).toBe('approval.notSupervisor');
      expect(await codeOf(station.call('cases.reject', { caseId: c.id, reason: 'no' }, demoted))).toBe(
        'approval.notSupervisor',
      );
    } finally {
      await station.call('accounts.setRole', { name: 'li', role: 'supervisor' });
    }
    sessions.li = await signIn('li');
    expect((await station.call('cases.approve', { caseId: c.id }, sessions.li)).state).toBe('approved');
  });

  it('keeps a supervisor who sealed, demoted and promoted again, from approving that seal', async () => {
    const c = await sealedCase('Sealed by zhao, then demoted', 'zhao');
    await station.call('accounts.setRole', { name: 'zhao', role: 'reviewer' });
    await station.call('accounts.setRole', { name: 'zhao', role: 'supervisor' });
    sessions.zhao = await signIn('zhao');
    expect(await codeOf(station.call('cases.approve', { caseId: c.id }, sessions.zhao))).toBe('approval.ownSeal');
    expect(await codeOf(station.call('cases.reject', { caseId: c.id, reason: 'mine' }, sessions.zhao))).toBe(
      'approval.ownSeal',
    );
  });

  it('refuses the sync settings and enrolment to a reviewer and a supervisor', async () => {
    for (const who of ['wang', 'li']) {
      expect(await codeOf(station.call('sync.settings', { bandwidthBytesPerSec: 1024 * 1024 }, sessions[who]))).toBe(
        'auth.forbidden',
      );
      expect(
        await codeOf(
          station.call(
            'sync.enrol',
            { serverUrl: 'http://127.0.0.1:9', code: `ES1-${'A'.repeat(26)}-${'0'.repeat(64)}` },
            sessions[who],
          ),
        ),
      ).toBe('auth.forbidden');
    }
  });

  it('refuses to approve or reject a version superseded by a reopening', async () => {
    const c = await sealedCase('Reopened before review');
    await station.call('cases.reopen', { caseId: c.id, reason: 'one more photo' });
    expect(await codeOf(station.call('cases.approve', { caseId: c.id, version: 1 }, sessions.li))).toBe(
      'approval.superseded',
    );
    expect(await codeOf(station.call('cases.reject', { caseId: c.id, version: 1, reason: 'x' }, sessions.li))).toBe(
      'approval.superseded',
    );
  });
});

describe('two command-line reviews of one version at the same moment', () => {
  it('lets one of two rejections through, and reopens the case once', async () => {
    const c = await sealedCase('Rejected twice at once');
    const d = await sealedCase('Approved and rejected at once');
    await station.engine.close();
    try {
      const cli = (args: string[]) => runCli([...args, '--data', station.dataDir]);
      const rejections = await Promise.all([
        cli(['reject', c.number, '--reason', 'first', '--user', 'li']),
        cli(['reject', c.number, '--reason', 'second', '--user', 'zhao']),
      ]);
      expect(rejections.map((r) => r.code).sort()).toEqual([0, 1]);
      const loser = rejections.find((r) => r.code === 1)!;
      expect(loser.stderr).not.toMatch(/SQLITE|constraint|internal/i);
      const versions = JSON.parse(
        (await cli(['case', 'versions', c.number, '--user', 'li', '--json'])).stdout,
      ) as CaseVersion[];
      expect(versions).toEqual([expect.objectContaining({ version: 1, state: 'rejected' })]);

      const both = await Promise.all([
        cli(['approve', d.number, '--user', 'li']),
        cli(['reject', d.number, '--reason', 'no', '--user', 'zhao']),
      ]);
      expect(both.map((r) => r.code).sort()).toEqual([0, 1]);
      const after = JSON.parse(
        (await cli(['case', 'versions', d.number, '--user', 'li', '--json'])).stdout,
      ) as CaseVersion[];
      expect(after).toHaveLength(1);
      expect(['approved', 'rejected']).toContain(after[0]!.state);
    } finally {
      await station.reopen();
    }
  }, 120_000);
});
