import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { ensureStationKey, keyPaths } from '../../src/core/keys/stationKey';
import { AppError } from '../../src/shared/errors';
import { codeOf, makeTempDir, openStation, quietLogger, removeTree, type TestStation } from '../engine/harness';

/**
 * A station whose key folder was damaged after it signed: the key record deleted, the public key
 * swapped or deleted, the private key deleted. The station must say so by name and must never
 * make a new key in place of the one its checkpoints and packages are signed with.
 */

let station: TestStation | null = null;
const temps: string[] = [];
afterEach(async () => {
  await station?.cleanup();
  station = null;
  for (const dir of temps.splice(0)) await removeTree(dir);
});

/** A station that has signed a chain checkpoint (every sign-out signs one), then closed. */
async function signedStation(): Promise<TestStation> {
  const s = await openStation();
  await s.call('auth.signOut', {});
  await s.engine.close();
  return s;
}

async function openError(dataDir: string): Promise<string> {
  return createEngine({ dataDir, runJobs: false, log: quietLogger() }).then(
    async (engine) => {
      await engine.close();
      return 'opened';
    },
    (error: unknown) => (error instanceof AppError ? error.code : `not an AppError: ${String(error)}`),
  );
}

describe('a damaged key folder', () => {
  it('keeps the private key and refuses to start when the key record was deleted', async () => {
    station = await signedStation();
    const paths = keyPaths(station.dataDir);
    const privateKey = await readFile(paths.privateKey);
    await rm(paths.record);
    expect(await openError(station.dataDir)).toBe('key.damaged');
    expect(await readFile(paths.privateKey)).toEqual(privateKey);
    station.reopen = () => Promise.reject(new Error('not reopened'));
    station.cleanup = () => removeTree(station!.root);
  });

  it('names a swapped or deleted public key as key.damaged', async () => {
    station = await signedStation();
    const paths = keyPaths(station.dataDir);
    const dir = await makeTempDir('otherkey');
    temps.push(dir);
    execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', `${dir}/k`]);
    execFileSync('openssl', ['pkey', '-in', `${dir}/k`, '-pubout', '-out', `${dir}/k.pub`]);
    const original = await readFile(paths.publicKey);
    await writeFile(paths.publicKey, await readFile(`${dir}/k.pub`));
    expect(await openError(station.dataDir)).toBe('key.damaged');
    await rm(paths.publicKey);
    expect(await openError(station.dataDir)).toBe('key.damaged');
    await writeFile(paths.publicKey, original);
    expect(await openError(station.dataDir)).toBe('opened');
    station.cleanup = () => removeTree(station!.root);
  });

  it('names a deleted private key as key.damaged when it is needed to sign', async () => {
    const dir = await makeTempDir('key');
    temps.push(dir);
    const key = await ensureStationKey(dir, {}, new Date());
    await rm(keyPaths(dir).privateKey);
    expect(await codeOf(key.sign(Buffer.from('x')))).toBe('key.damaged');
  });

  it('names a private key swapped for another as key.damaged, not as a wrong passphrase', async () => {
    const dir = await makeTempDir('key');
    temps.push(dir);
    const other = await makeTempDir('key');
    temps.push(other);
    const key = await ensureStationKey(dir, {}, new Date());
    await ensureStationKey(other, {}, new Date());
    await writeFile(keyPaths(dir).privateKey, await readFile(keyPaths(other).privateKey));
    expect(await codeOf(key.sign(Buffer.from('x')))).toBe('key.damaged');
  });
});
