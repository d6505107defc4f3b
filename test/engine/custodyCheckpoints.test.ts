import Database from 'better-sqlite3';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { latestCheckpoint, type ChainSigner } from '../../src/core/custody/checkpoints';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { openStation, type TestStation } from './harness';
import { newestSeq, rewriteChain, tamper } from './tamper';

/**
 * Signed checkpoints of the chain head (issue 10, section 2): made every 100 entries and at
 * sign-out, checked by `custody.verify`, so that a rewrite with recomputed hashes by someone
 * without the key fails, and so does a truncation below a checkpoint. A real Ed25519 key, made here.
 */

let station: TestStation | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
});

function makeSigner(): ChainSigner & { locked: boolean; signatures: number } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = {
    fingerprint: keyFingerprint(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    locked: false,
    signatures: 0,
    sign(data: Buffer): Promise<Buffer> {
      if (signer.locked) return Promise.reject(new Error('the key needs its passphrase'));
      signer.signatures++;
      return Promise.resolve(sign(null, data, privateKey));
    },
  };
  return signer;
}

async function work(s: TestStation, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await s.call('settings.update', { lockAfterMinutes: 10 + (i % 5) });
}

function readCheckpoints(dataDir: string) {
  const db = new Database(join(dataDir, 'station.db'), { readonly: true });
  try {
    return {
      latest: latestCheckpoint(db),
      count: (db.prepare('SELECT count(*) AS n FROM custody_checkpoints').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('checkpoints', () => {
  it('are signed every 100 entries and at sign-out, verify with the public key alone, and are written beside the database', async () => {
    const signer = makeSigner();
    station = await openStation({ chainSigner: signer });
    await work(station, 105);
    await station.engine.close(); // lets the checkpoint under way finish
    const interval = readCheckpoints(station.dataDir);
    expect(interval).toMatchObject({
      count: 1,
      latest: { reason: 'interval', statement: { seq: newestSeq(station.dataDir) } },
    });
    expect(interval.latest!.statement.seq).toBeGreaterThanOrEqual(100);

    await station.reopen();
    await station.call('auth.signOut', {});
    await station.engine.close();
    const { latest, count } = readCheckpoints(station.dataDir);
    expect(count).toBe(2);
    expect(latest).toMatchObject({
      reason: 'signOut',
      statement: { seq: newestSeq(station.dataDir), keyFingerprint: signer.fingerprint },
    });
    // Anyone with the public key checks it, without this software's code.
    expect(
      verify(null, Buffer.from(latest!.statementText), signer.publicKeyPem, Buffer.from(latest!.signature, 'base64')),
    ).toBe(true);
    const file = JSON.parse(await readFile(join(station.dataDir, 'custody-checkpoint.json'), 'utf8')) as {
      statementText: string;
    };
    expect(file.statementText).toBe(latest!.statementText);

    await station.reopen();
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok, verdict.problem ?? '').toBe(true);
    expect(verdict.checkpoints).toMatchObject({ count: 2, verified: 2, keyAvailable: true, failures: [] });
  });

  it('make a full rewrite with recomputed hashes fail, and forged checkpoints fail their signature', async () => {
    const signer = makeSigner();
    station = await openStation({ chainSigner: signer });
    await work(station, 3);
    await station.call('auth.signOut', {});
    await station.engine.close();

    // The forger rewrites every entry, recomputes every hash, and writes a matching head file.
    let head = { seq: 0, hash: '' };
    tamper(station.dataDir, (db) => {
      head = rewriteChain(db, (e) => ({ ...e, actor: e.actor === 'station' ? e.actor : 'mallory' }));
    });
    await writeFile(join(station.dataDir, 'custody-head.json'), `${JSON.stringify(head)}\n`);
    await station.reopen();
    let verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.problem).toMatch(/differs from the signed checkpoint/);
    await station.engine.close();

    // Then also the checkpoints, statement and columns, keeping the old signatures (no key).
    tamper(station.dataDir, (db) => {
      const rows = db.prepare('SELECT id, statement FROM custody_checkpoints').all() as {
        id: number;
        statement: string;
      }[];
      for (const row of rows) {
        const statement = JSON.parse(row.statement) as { seq: number; hash: string };
        const hash = (db.prepare('SELECT hash FROM custody WHERE seq = ?').get(statement.seq) as { hash: string }).hash;
        const forged = row.statement.replace(statement.hash, hash);
        db.prepare('UPDATE custody_checkpoints SET statement = ?, hash = ? WHERE id = ?').run(forged, hash, row.id);
      }
    });
    await unlink(join(station.dataDir, 'custody-checkpoint.json'));
    await station.reopen();
    verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.checkpoints?.failures.map((f) => f.problem).join('\n')).toMatch(/bad signature/);
  });

  it('make a truncation below a checkpoint fail, even with the head file made to match', async () => {
    const signer = makeSigner();
    station = await openStation({ chainSigner: signer });
    await work(station, 3);
    await station.call('auth.signOut', {});
    const signedSeq = readCheckpoints(station.dataDir).latest!.statement.seq;
    await station.engine.close();
    let head = { seq: 0, hash: '' };
    tamper(station.dataDir, (db) => {
      db.prepare('DELETE FROM custody WHERE seq >= ?').run(signedSeq - 1);
      head = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as typeof head;
    });
    await writeFile(join(station.dataDir, 'custody-head.json'), `${JSON.stringify(head)}\n`);
    await station.reopen();
    const verdict = await station.call('custody.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.checkpoints?.failures.map((f) => f.problem)).toContain(
      `entry ${signedSeq}, signed in a checkpoint, is missing`,
    );
  });

  it('wait while the key cannot sign, and the next signed one covers those entries', async () => {
    const signer = makeSigner();
    signer.locked = true;
    station = await openStation({ chainSigner: signer });
    await work(station, 2);
    await station.call('auth.signOut', {});
    expect(readCheckpoints(station.dataDir).count).toBe(0);
    expect(station.log.lines.some((l) => /checkpoint waits/.test(l.message))).toBe(true);

    signer.locked = false;
    await station.reopen();
    await station.call('auth.signOut', {});
    const { latest, count } = readCheckpoints(station.dataDir);
    expect(count).toBe(1);
    expect(latest!.statement.seq).toBe(newestSeq(station.dataDir));
  });
});
