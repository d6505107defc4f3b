import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureStationKey, keyPaths } from '../../src/core/keys/stationKey';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import type { CaseVersion, SealResult, StationKeyInfo, TrustedKey } from '../../src/shared/sealSchemas';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * The seal, export, case reopen/versions and key commands as a script drives them: real child
 * processes on a real data dir. `--json` stdout is nothing but JSON in the documented shape; a
 * refusal exits 1 with the message; a passphrase set at init is needed by seal afterwards.
 */

let root: string;
let data: string;
let caseNumber: string;

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--data', data], env);

async function json<T>(args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const r = await cli([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const PASS = { STATION_KEY_PASSPHRASE: 'seven stars over the river' };

beforeAll(async () => {
  const fx = getMediaFixtures();
  root = await makeTempDir('seal-cli');
  data = join(root, 'data');
  const card = join(root, 'card');
  await mkdir(card);
  await copyFile(fx.h264, join(card, 'h264.mp4'));
  const init = await json<{ keyFingerprint: string; keyProtection: string }>(['init', '--admin', 'admin'], PASS);
  expect(init.keyProtection).toBe('passphrase');
  const lines = await json<{ id: string }[]>(['import', card], PASS);
  const c = await json<CaseDetail>(['case', 'create', '--title', '夜市 Night market'], PASS);
  caseNumber = c.number;
  await json<CaseDetail>(['case', 'add', caseNumber, lines[0]!.id], PASS);
}, 400_000);

afterAll(async () => {
  await removeTree(root);
});

describe('key show', () => {
  it('prints the public key and the fingerprint openssl computes, without signing in', async () => {
    const pub = keyPaths(data).publicKey;
    const der = execFileSync('openssl', ['pkey', '-pubin', '-in', pub, '-outform', 'DER']);
    const expected = execFileSync('sha256sum', { input: der }).toString('utf8').split(' ')[0];
    // No STATION_PASSWORD and no passphrase: the public key needs neither.
    const r = await runCli(['key', 'show', '--json', '--data', data], { STATION_PASSWORD: '' });
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as StationKeyInfo;
    expect(info).toMatchObject({ fingerprint: expected, protection: 'passphrase' });
    expect(info.publicKeyPem).toBe(await readFile(pub, 'utf8'));
    expect(info.fingerprintGrouped.replaceAll(' ', '')).toBe(expected);
    const human = await cli(['key', 'show']);
    expect(human.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    expect(human.stdout).toContain(info.fingerprintGrouped);
    expect((await stat(keyPaths(data).privateKey)).mode & 0o777).toBe(0o600);
  }, 400_000);
});

describe('seal, export, reopen, versions', () => {
  it('seal needs the passphrase set at init', async () => {
    const missing = await cli(['seal', caseNumber]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('key.passphraseRequired');
    const wrong = await cli(['seal', caseNumber], { STATION_KEY_PASSPHRASE: 'six stars' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('key.passphraseWrong');
  }, 400_000);

  it('seals, exports and verifies; reopens with a reason; lists versions', async () => {
    const sealed = await json<SealResult>(['seal', caseNumber], PASS);
    expect(Object.keys(sealed).sort()).toEqual(['case', 'path', 'tagManifestSha256', 'version']);
    expect(sealed).toMatchObject({ case: caseNumber, version: 1 });
    const again = await cli(['seal', caseNumber], PASS);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('case.alreadySealed');

    const medium = join(root, 'usb');
    await mkdir(medium);
    const exported = await json<{ path: string }>(['export', caseNumber, '--to', medium]);
    expect(exported).toEqual({ path: join(medium, `${caseNumber}-v1`) });
    execFileSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], { cwd: exported.path });
    const verify = await runCli(['verify', exported.path, '--json', '--data', data]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, keyKnown: true });
    const human = await cli(['export', caseNumber, '--to', medium, '--zip']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^exported and verified: .*\.zip\n$/);

    expect((await cli(['case', 'reopen', caseNumber])).code).toBe(2);
    const reopened = await json<CaseDetail>(['case', 'reopen', caseNumber, '--reason', 'wrong place']);
    expect(reopened).toMatchObject({ state: 'draft', version: 2, sealedVersions: 1 });
    const versions = await json<CaseVersion[]>(['case', 'versions', caseNumber]);
    expect(versions).toEqual([
      expect.objectContaining({ version: 1, tagManifestSha256: sealed.tagManifestSha256, reopenReason: 'wrong place' }),
    ]);
    const v1 = await json<{ path: string }>(['export', caseNumber, '--version', '1', '--to', medium]);
    // The folder and the zip took `-v1` and `-v1_2`: an export never overwrites.
    expect(v1.path).toBe(join(medium, `${caseNumber}-v1_3`));
    expect((await cli(['export', caseNumber, '--version', '0', '--to', medium])).code).toBe(2);
  }, 900_000);
});

describe('key import and list', () => {
  it('an admin imports another station’s key; a second import of it is refused', async () => {
    const other = join(root, 'other');
    const key = await ensureStationKey(other, {}, new Date());
    const file = join(root, 'other.pub.pem');
    await writeFile(file, key.publicKeyPem);
    const imported = await json<TrustedKey>(['key', 'import', file, '--label', 'Station 2']);
    expect(imported).toMatchObject({ fingerprint: key.fingerprint, label: 'Station 2' });
    expect(await json<TrustedKey[]>(['key', 'list'])).toEqual([imported]);
    const dup = await cli(['key', 'import', file, '--label', 'again']);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('key.exists');
    expect((await cli(['key', 'import', file])).code).toBe(2);
  }, 400_000);
});
