import { appendFile, chmod, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { runCli } from '../engine/cliRunner';
import { openStation, type TestStation } from '../engine/harness';

/**
 * `check` looks at the sealed packages in the store too: a sealed version whose package folder
 * was deleted, or whose tag manifest was edited, is a problem, not "check: OK".
 */

let station: TestStation;
let sealedPath: string;

beforeAll(async () => {
  station = await openStation();
  const record = await station.importAndWait([getMediaFixtures().h264]);
  const c = await station.call('cases.create', { title: 'stored package' });
  await station.call('cases.addItems', { caseId: c.id, itemIds: [record.files[0]!.itemId!] });
  sealedPath = (await station.call('cases.seal', { caseId: c.id })).path;
  await station.engine.close();
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

const check = () => runCli(['check', '--data', station.dataDir]);

describe('check and the sealed packages', () => {
  it('is OK with the package as sealed', async () => {
    const r = await check();
    expect(r.stdout).toContain('check: OK');
    expect(r.code).toBe(0);
  }, 60_000);

  it('names an edited tag manifest', async () => {
    await chmod(sealedPath, 0o755);
    await chmod(join(sealedPath, 'tagmanifest-sha256.txt'), 0o644);
    await appendFile(join(sealedPath, 'tagmanifest-sha256.txt'), '\n');
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/problem: package .*tagmanifest-sha256.txt is not the one sealed/);
  }, 60_000);

  it('names a deleted package folder', async () => {
    await rename(sealedPath, join(station.root, 'moved'));
    const r = await check();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/problem: package .*the sealed package folder is missing/);
    await rename(join(station.root, 'moved'), sealedPath);
  }, 60_000);
});
