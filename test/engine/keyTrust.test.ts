import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyPaths } from '../../src/core/keys/stationKey';
import { openStation, type TestStation } from './harness';
import { newestSeq } from './tamper';

/**
 * What `check` and `custody.verify` say about the station's key and its checkpoint file when the
 * files under the data directory are changed by hand (keytrust): a real station, its real key.
 */

let station: TestStation | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
});

describe('station key and checkpoint file', () => {
  it('anchors the key in the chain: a key.create entry carries its fingerprint, once', async () => {
    station = await openStation();
    const key = await station.call('station.key', {});
    const created = (await station.call('custody.list', {})).entries.filter((e) => e.action === 'key.create');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ actor: 'station', details: { fingerprint: key.fingerprint } });
    await station.reopen();
    expect((await station.call('custody.list', {})).entries.filter((e) => e.action === 'key.create')).toHaveLength(1);
  });

  it('check names a deleted private key file, without the passphrase', async () => {
    station = await openStation({ keyPassphrase: 'correct horse battery staple' });
    expect((await station.call('station.check', { rehash: false })).ok).toBe(true);
    const { privateKey } = keyPaths(station.dataDir);
    await rename(privateKey, `${privateKey}.away`);
    try {
      const report = await station.call('station.check', { rehash: false });
      expect(report.ok).toBe(false);
      expect(report.problems).toContainEqual(
        expect.objectContaining({
          kind: 'key',
          path: join('keys', 'station.key'),
          detail: expect.stringMatching(/missing/),
        }),
      );
      // A file that is not the key either (no passphrase needed to tell).
      await writeFile(privateKey, 'not a key\n', { mode: 0o600 });
      const garbled = await station.call('station.check', { rehash: false });
      expect(garbled.problems).toContainEqual(
        expect.objectContaining({ kind: 'key', detail: expect.stringMatching(/not a passphrase-encrypted key/) }),
      );
    } finally {
      await rm(privateKey, { force: true });
      await rename(`${privateKey}.away`, privateKey);
    }
    expect((await station.call('station.check', { rehash: false })).ok).toBe(true);
  });

  it('custody.verify and check reject a checkpoint file whose unsigned statement was edited', async () => {
    station = await openStation();
    for (let i = 0; i < 3; i++) await station.call('settings.update', { lockAfterMinutes: 10 + i });
    await station.call('auth.signOut', {});
    await station.engine.close();
    const file = join(station.dataDir, 'custody-checkpoint.json');
    const original = await readFile(file, 'utf8');
    const signed = JSON.parse(original) as { statement: { seq: number } };
    expect(signed.statement.seq).toBe(newestSeq(station.dataDir));
    await writeFile(file, JSON.stringify({ ...signed, statement: { ...signed.statement, seq: 2 } }, null, 2));
    await station.reopen();
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.checkpoints?.failures).toContainEqual(
      expect.objectContaining({ problem: expect.stringMatching(/statement \(entry 2\) is not the signed statement/) }),
    );
    expect((await station.call('station.check', { rehash: false })).ok).toBe(false);
  });
});
