import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureStationKey, keyPaths } from '../../src/core/keys/stationKey';
import { codeOf, makeTempDir, openStation, removeTree, type TestStation } from './harness';
import { tamper } from './tamper';

/**
 * The station key: made at the first start (a new station, or one from before keys existed),
 * kept 0600 in a 0700 folder, its fingerprint the one openssl computes, its private half locked
 * behind the passphrase when one was set at creation.
 */

let station: TestStation | null = null;
const temps: string[] = [];
afterEach(async () => {
  await station?.cleanup();
  station = null;
  for (const dir of temps.splice(0)) await removeTree(dir);
});

const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

function opensslFingerprint(pubPem: string): string {
  const der = execFileSync('openssl', ['pkey', '-pubin', '-in', pubPem, '-outform', 'DER']);
  return execFileSync('sha256sum', { input: der }).toString('utf8').split(' ')[0] ?? '';
}

describe('station key', () => {
  it('is made at the first start, owner-only, with the fingerprint openssl computes', async () => {
    station = await openStation();
    const paths = keyPaths(station.dataDir);
    expect(await mode(paths.dir)).toBe(0o700);
    expect(await mode(paths.privateKey)).toBe(0o600);
    const info = await station.call('station.key', {});
    expect(info.protection).toBe('fileMode');
    expect(info.publicKeyPem).toBe(await readFile(paths.publicKey, 'utf8'));
    expect(info.fingerprint).toBe(opensslFingerprint(paths.publicKey));
    expect(info.fingerprintGrouped.replaceAll(' ', '')).toBe(info.fingerprint);
    expect(createPublicKey(info.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    // The same key at every later start.
    await station.reopen();
    expect((await station.call('station.key', {})).fingerprint).toBe(info.fingerprint);
  });

  it('is made at the first start of a station from before keys existed, and anchored in the chain', async () => {
    station = await openStation({ noAdmin: true });
    const dataDir = station.dataDir;
    const keyCreations = (): Array<{ fingerprint: string; recordedAtStart: boolean }> => {
      const db = new Database(join(dataDir, 'station.db'), { readonly: true });
      try {
        const rows = db.prepare("SELECT details FROM custody WHERE action = 'key.create' ORDER BY seq").all() as {
          details: string;
        }[];
        return rows.map((r) => JSON.parse(r.details) as { fingerprint: string; recordedAtStart: boolean });
      } finally {
        db.close();
      }
    };
    const before = keyCreations();
    expect(before).toEqual([expect.objectContaining({ recordedAtStart: false })]);
    await station.engine.close();
    // What a station from before keys (and before key.create) was: no key folder, no such entry.
    // The key.create entry is the newest, so dropping it and the head with it leaves a sound chain.
    const toPreKeyStation = (): void =>
      tamper(dataDir, (db) => {
        db.prepare("DELETE FROM custody WHERE action = 'key.create'").run();
        const head = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get();
        writeFileSync(join(dataDir, 'custody-head.json'), `${JSON.stringify(head)}\n`);
      });
    toPreKeyStation();
    await rm(keyPaths(dataDir).dir, { recursive: true });
    await station.reopen();
    const made = keyCreations();
    expect(made).toHaveLength(1);
    expect(made[0]!.fingerprint).not.toBe(before[0]!.fingerprint);
    expect(made[0]!.fingerprint).toBe(opensslFingerprint(keyPaths(dataDir).publicKey));

    // A key made before key.create existed is recorded at the next start, as older than its entry.
    await station.engine.close();
    toPreKeyStation();
    await station.reopen();
    expect(keyCreations()).toEqual([{ ...made[0], recordedAtStart: true }]);

    // Once the chain anchors a key, a deleted key folder is refused, and no new key is made.
    await station.engine.close();
    await rm(keyPaths(dataDir).dir, { recursive: true });
    expect(await codeOf(station.reopen())).toBe('key.damaged');
    expect(await stat(keyPaths(dataDir).publicKey).catch(() => null)).toBeNull();
  });

  it('an interrupted creation (no station.json) is made again, never half-used', async () => {
    const dir = await makeTempDir('key');
    temps.push(dir);
    const first = await ensureStationKey(dir, {}, new Date());
    await rm(keyPaths(dir).record);
    const second = await ensureStationKey(dir, {}, new Date());
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.fingerprint).toBe(opensslFingerprint(keyPaths(dir).publicKey));
  });

  it('signs so that openssl verifies; with a passphrase it needs the same one for every signature', async () => {
    const dir = await makeTempDir('key');
    temps.push(dir);
    const made = await ensureStationKey(dir, { passphrase: 'seven stars' }, new Date());
    expect(made.protection).toBe('passphrase');
    const paths = keyPaths(dir);
    expect(await mode(paths.privateKey)).toBe(0o600);
    // The private key is not in the clear on disk.
    expect(await readFile(paths.privateKey, 'utf8')).not.toMatch(/PRIVATE KEY/);

    const noPassphrase = await ensureStationKey(dir, {}, new Date());
    expect(noPassphrase.fingerprint).toBe(made.fingerprint);
    expect(await codeOf(noPassphrase.sign(Buffer.from('x')))).toBe('key.passphraseRequired');
    const wrong = await ensureStationKey(dir, { passphrase: 'six stars' }, new Date());
    expect(await codeOf(wrong.sign(Buffer.from('x')))).toBe('key.passphraseWrong');

    const right = await ensureStationKey(dir, { passphrase: 'seven stars' }, new Date());
    const data = Buffer.from('tagmanifest line\n');
    const signature = await right.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify(null, data, right.publicKeyPem, signature)).toBe(true);
    await writeFile(join(dir, 'data.txt'), data);
    await writeFile(join(dir, 'data.sig'), signature);
    const out = execFileSync('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      paths.publicKey,
      '-rawin',
      '-in',
      join(dir, 'data.txt'),
      '-sigfile',
      join(dir, 'data.sig'),
    ]).toString('utf8');
    expect(out).toMatch(/Signature Verified Successfully/);
  });

  it('a station whose key needs a passphrase still opens without it', async () => {
    station = await openStation({ keyPassphrase: 'seven stars' });
    expect((await station.call('station.key', {})).protection).toBe('passphrase');
    await station.reopen({ keyPassphrase: undefined });
    expect((await station.call('station.key', {})).protection).toBe('passphrase');
  });
});

describe('trusted keys', () => {
  it('an admin imports another station’s public key once; the import is on the custody record', async () => {
    station = await openStation();
    const other = await makeTempDir('other');
    temps.push(other);
    const otherKey = await ensureStationKey(other, {}, new Date());
    // Armour with CRLF line ends, as a key mailed from Windows might be.
    const imported = await station.call('keys.import', {
      publicKeyPem: otherKey.publicKeyPem.replaceAll('\n', '\r\n'),
      label: 'Station 2, Xuhui',
    });
    expect(imported).toMatchObject({
      fingerprint: otherKey.fingerprint,
      label: 'Station 2, Xuhui',
      importedBy: 'admin',
    });
    expect(imported.publicKeyPem).toBe(otherKey.publicKeyPem);
    expect(await station.call('keys.list', {})).toEqual([imported]);
    const log = await station.call('custody.list', { offset: 0, limit: 500 });
    expect(log.entries.filter((e) => e.action === 'key.import')).toEqual([
      expect.objectContaining({
        actor: 'admin',
        details: expect.objectContaining({ fingerprint: otherKey.fingerprint }),
      }),
    ]);
    expect(await codeOf(station.call('keys.import', { publicKeyPem: otherKey.publicKeyPem, label: 'again' }))).toBe(
      'key.exists',
    );
    const own = await station.call('station.key', {});
    expect(await codeOf(station.call('keys.import', { publicKeyPem: own.publicKeyPem, label: 'self' }))).toBe(
      'key.exists',
    );
  });

  it('refuses what is not an Ed25519 public key', async () => {
    station = await openStation();
    const rsa = execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString('utf8');
    const rsaPub = createPublicKey(rsa).export({ type: 'spki', format: 'pem' }).toString();
    const edPrivate = await readFile(keyPaths(station.dataDir).privateKey, 'utf8');
    for (const pem of [rsaPub, edPrivate, 'hello', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n']) {
      expect(await codeOf(station.call('keys.import', { publicKeyPem: pem, label: 'x' }))).toBe('key.invalid');
    }
    expect(await station.call('keys.list', {})).toEqual([]);
  });
});
