import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashCustodyEntry } from '../custody/custodyLog';
import { keyFingerprint } from './fingerprint';
import { readKnownKeys } from './knownKeys';
import { ensureStationKey, keyPaths } from './stationKey';

const root = await mkdtemp(join(tmpdir(), 'station-knownkeys-'));
afterAll(() => rm(root, { recursive: true, force: true }));

function publicPem(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** The two tables readKnownKeys reads, as migrations make them, with real hashed entries. */
function makeDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE custody(seq INTEGER PRIMARY KEY, at TEXT, actor TEXT, station TEXT, action TEXT,
      subject TEXT, sha256 TEXT, details TEXT, prev TEXT, hash TEXT);
    CREATE TABLE trusted_keys(fingerprint TEXT PRIMARY KEY, label TEXT, public_key_pem TEXT,
      imported_by TEXT, imported_at TEXT, custody_seq INTEGER)`);
  return db;
}

function append(db: Database.Database, action: string, details: Record<string, unknown>): number {
  const last = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const entry = {
    seq: (last?.seq ?? 0) + 1,
    at: '2026-12-02T10:00:00.000+08:00',
    actor: 'admin',
    station: 'XH-01',
    action,
    subject: null,
    sha256: null,
    details,
    prev: last?.hash ?? GENESIS_HASH,
  };
  const hash = hashCustodyEntry(entry);
  db.prepare('INSERT INTO custody VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    entry.seq,
    entry.at,
    entry.actor,
    entry.station,
    entry.action,
    null,
    null,
    JSON.stringify(details),
    entry.prev,
    hash,
  );
  return entry.seq;
}

function trust(db: Database.Database, pem: string, seq: number): void {
  db.prepare('INSERT INTO trusted_keys VALUES (?, ?, ?, ?, ?, ?)').run(keyFingerprint(pem), 'x', pem, 'a', 'b', seq);
}

describe('readKnownKeys', () => {
  it('reads the station key and the imported keys of a closed WAL database, leaving no file behind', async () => {
    const dir = join(root, 'closed');
    await mkdir(dir);
    const own = await ensureStationKey(dir, {}, new Date());
    const imported = publicPem();
    const db = makeDb(join(dir, 'station.db'));
    append(db, 'key.create', { fingerprint: own.fingerprint });
    trust(db, imported, append(db, 'key.import', { fingerprint: keyFingerprint(imported) }));
    db.close();
    const before = (await readdir(dir)).sort();
    const keys = await readKnownKeys(dir);
    expect(keys).toEqual({ station: own.fingerprint, imported: [keyFingerprint(imported)], refused: [] });
    expect((await readdir(dir)).sort()).toEqual(before);
  });

  it('sees the keys of a database in use', async () => {
    const dir = join(root, 'open');
    await mkdir(dir);
    const imported = publicPem();
    const db = makeDb(join(dir, 'station.db'));
    try {
      trust(db, imported, append(db, 'key.import', { fingerprint: keyFingerprint(imported) }));
      expect((await readKnownKeys(dir)).imported).toEqual([keyFingerprint(imported)]);
    } finally {
      db.close();
    }
  });

  it('refuses an imported key without its key.import entry, or whose entry was edited', async () => {
    const dir = join(root, 'unbacked');
    await mkdir(dir);
    const [planted, edited, other] = [publicPem(), publicPem(), publicPem()];
    const db = makeDb(join(dir, 'station.db'));
    try {
      const seq = append(db, 'account.create', {});
      trust(db, planted, seq);
      const importSeq = append(db, 'key.import', { fingerprint: keyFingerprint(other) });
      trust(db, edited, importSeq);
      const keys = await readKnownKeys(dir);
      expect(keys.imported).toEqual([]);
      expect(keys.refused.map((r) => r.fingerprint).sort()).toEqual(
        [keyFingerprint(planted), keyFingerprint(edited)].sort(),
      );
      // The entry's details rewritten to name the planted key: its hash no longer recomputes.
      db.prepare('UPDATE custody SET details = ? WHERE seq = ?').run(
        JSON.stringify({ fingerprint: keyFingerprint(edited) }),
        importSeq,
      );
      expect((await readKnownKeys(dir)).imported).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('does not vouch for a public key file that station.json, the private key or key.create disagree with', async () => {
    const dir = join(root, 'replaced');
    await mkdir(dir);
    const own = await ensureStationKey(dir, {}, new Date());
    const db = makeDb(join(dir, 'station.db'));
    append(db, 'key.create', { fingerprint: own.fingerprint });
    db.close();
    const forged = publicPem();
    await writeFile(keyPaths(dir).publicKey, forged);
    const keys = await readKnownKeys(dir);
    expect(keys.station).toBeNull();
    expect(keys.refused.some((r) => r.fingerprint === keyFingerprint(forged))).toBe(true);
    // station.json rewritten to match: the private key (stored unencrypted here) still disagrees.
    const record = JSON.parse(await readFile(keyPaths(dir).record, 'utf8')) as Record<string, unknown>;
    await writeFile(keyPaths(dir).record, JSON.stringify({ ...record, fingerprint: keyFingerprint(forged) }));
    const again = await readKnownKeys(dir);
    expect(again.station).toBeNull();
    expect(again.refused.map((r) => r.detail).join('\n')).toMatch(/private key belongs to key/);
    expect(again.refused.map((r) => r.detail).join('\n')).toMatch(/key\.create entry 1 records key/);
  });

  it('with a passphrase-protected key, refuses a replaced public key and record by the chain and the checkpoints', async () => {
    const dir = join(root, 'passphrase');
    await mkdir(dir);
    const own = await ensureStationKey(dir, { passphrase: 'seven stars' }, new Date());
    const db = makeDb(join(dir, 'station.db'));
    db.exec('CREATE TABLE custody_checkpoints(id INTEGER PRIMARY KEY, statement TEXT, signature TEXT)');
    const seq = append(db, 'settings.update', {});
    const text = JSON.stringify({
      type: 'evidence-station/custody-checkpoint',
      version: 1,
      stationId: 's',
      seq,
      hash: 'a'.repeat(64),
      at: 'now',
      keyFingerprint: own.fingerprint,
    });
    db.prepare('INSERT INTO custody_checkpoints (statement, signature) VALUES (?, ?)').run(
      text,
      (await own.sign(Buffer.from(text))).toString('base64'),
    );
    db.close();
    expect((await readKnownKeys(dir)).station).toBe(own.fingerprint);
    const forged = publicPem();
    await writeFile(keyPaths(dir).publicKey, forged);
    const record = JSON.parse(await readFile(keyPaths(dir).record, 'utf8')) as Record<string, unknown>;
    await writeFile(keyPaths(dir).record, JSON.stringify({ ...record, fingerprint: keyFingerprint(forged) }));
    const keys = await readKnownKeys(dir);
    expect(keys.station).toBeNull();
    expect(keys.refused.map((r) => r.detail).join('\n')).toMatch(/checkpoint at entry 1 names another key/);
  });

  it('knows nothing of an older station (no table, no key) or an empty folder', async () => {
    const dir = join(root, 'old');
    await mkdir(dir);
    new Database(join(dir, 'station.db')).exec('CREATE TABLE other(x)');
    expect(await readKnownKeys(dir)).toEqual({ station: null, imported: [], refused: [] });
    const empty = join(root, 'empty');
    await mkdir(empty);
    expect(await readKnownKeys(empty)).toEqual({ station: null, imported: [], refused: [] });
  });
});
