import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from './fingerprint';
import { readKnownKeys } from './knownKeys';

const root = await mkdtemp(join(tmpdir(), 'station-knownkeys-'));
afterAll(() => rm(root, { recursive: true, force: true }));

function publicPem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

describe('readKnownKeys', () => {
  it('reads the station key and the imported keys of a closed WAL database, leaving no file behind', async () => {
    const dir = join(root, 'closed');
    await mkdir(join(dir, 'keys'), { recursive: true });
    const own = publicPem();
    const imported = publicPem();
    await writeFile(join(dir, 'keys/station.pub.pem'), own);
    const db = new Database(join(dir, 'station.db'));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE TABLE trusted_keys(fingerprint TEXT PRIMARY KEY, label TEXT, public_key_pem TEXT,
      imported_by TEXT, imported_at TEXT, custody_seq INTEGER)`);
    // The stored fingerprint is wrong on purpose: the key itself decides.
    db.prepare('INSERT INTO trusted_keys VALUES (?, ?, ?, ?, ?, ?)').run('0'.repeat(64), 'x', imported, 'a', 'b', 1);
    db.close();
    const before = (await readdir(dir)).sort();
    const keys = await readKnownKeys(dir);
    expect(keys).toEqual({ station: keyFingerprint(own), imported: [keyFingerprint(imported)] });
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it('sees the keys of a database in use', async () => {
    const dir = join(root, 'open');
    await mkdir(dir);
    const imported = publicPem();
    const db = new Database(join(dir, 'station.db'));
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE trusted_keys(fingerprint TEXT PRIMARY KEY, public_key_pem TEXT)');
    db.prepare('INSERT INTO trusted_keys VALUES (?, ?)').run('f', imported);
    try {
      expect((await readKnownKeys(dir)).imported).toEqual([keyFingerprint(imported)]);
    } finally {
      db.close();
    }
  });

  it('knows nothing of an older station (no table, no key) or an empty folder', async () => {
    const dir = join(root, 'old');
    await mkdir(dir);
    new Database(join(dir, 'station.db')).exec('CREATE TABLE other(x)');
    expect(await readKnownKeys(dir)).toEqual({ station: null, imported: [] });
    const empty = join(root, 'empty');
    await mkdir(empty);
    expect(await readKnownKeys(empty)).toEqual({ station: null, imported: [] });
  });
});
