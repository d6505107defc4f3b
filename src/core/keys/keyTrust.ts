import { createPrivateKey, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { CheckpointStatement } from '../../shared/custodySchemas';
import { GENESIS_HASH, hashCustodyEntry } from '../custody/custodyLog';
import type { ReadableDB } from '../db/database';
import type { CustodyEntry } from '../../shared/schemas';
import { keyFingerprint } from './fingerprint';
import { PassphraseEnvelope } from './keyProtection';
import { keyPaths } from './stationKey';

/**
 * Whether the station's own public key (`keys/station.pub.pem`) may be vouched for. The file is
 * plain and writable by the station's OS user, so on its own it proves nothing: a forger who puts
 * their key there would otherwise be called "this station's own key" by `verify --data` and
 * `key show`. It counts only when everything that names the key agrees with it: `station.json`,
 * the private key (its public half, where the key is not encrypted), the `key.create` custody
 * entry, and every signed checkpoint (each must verify with it). Anything else is refused.
 *
 * Also: whether each imported key (`trusted_keys`) was imported by `key import`, i.e. its row
 * names a `key.import` entry of the same fingerprint that still verifies in the chain.
 *
 * It only reads, needs no passphrase, and never throws for a damaged file: it names the problem.
 */

/** A problem with one key file, named by its file (relative to `keys/`). */
export interface KeyFileProblem {
  file: string;
  detail: string;
  /** The files disagree on which key is the station's (rather than one being missing or loose). */
  identity: boolean;
}

export interface StationKeyFiles {
  /** The public key file's fingerprint, when it reads as an Ed25519 key. */
  fingerprint: string | null;
  publicKeyPem: string | null;
  protection: string | null;
  /** True when the station has no key at all (no file of it): not a problem, it knows no key. */
  absent: boolean;
  problems: KeyFileProblem[];
}

const PUB = 'station.pub.pem';
const PRIV = 'station.key';
const RECORD = 'station.json';

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * The key folder on its own: the record, the public key and the private key file present and
 * agreeing, as far as can be told without the passphrase (the private key's mode and format; its
 * public half where it is stored unencrypted).
 */
export async function inspectStationKeyFiles(dataDir: string): Promise<StationKeyFiles> {
  const paths = keyPaths(dataDir);
  const [recordBytes, pubBytes, privInfo] = await Promise.all([
    readOrNull(paths.record),
    readOrNull(paths.publicKey),
    stat(paths.privateKey).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    }),
  ]);
  const result: StationKeyFiles = {
    fingerprint: null,
    publicKeyPem: null,
    protection: null,
    absent: false,
    problems: [],
  };
  const add = (file: string, detail: string, identity = false): void => {
    result.problems.push({ file, detail, identity });
  };
  if (!recordBytes && !pubBytes && !privInfo) return { ...result, absent: true };

  let recordFingerprint: string | null = null;
  if (!recordBytes) add(RECORD, 'the key record is missing');
  else {
    const record = parseJson(recordBytes.toString('utf8')) as { fingerprint?: unknown; protection?: unknown } | null;
    if (typeof record?.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(record.fingerprint))
      add(RECORD, 'the key record is not a station key record');
    else recordFingerprint = record.fingerprint;
    if (record && ['safeStorage', 'passphrase', 'fileMode'].includes(record.protection as string))
      result.protection = record.protection as string;
    else if (record) add(RECORD, 'the key record names no known protection');
  }

  if (!pubBytes) add(PUB, 'the public key is missing');
  else {
    let key: KeyObject | null = null;
    try {
      key = createPublicKey(pubBytes.toString('utf8'));
    } catch {
      add(PUB, 'the public key file is not a public key');
    }
    if (key && key.asymmetricKeyType !== 'ed25519') add(PUB, 'the public key is not an Ed25519 key');
    else if (key) {
      result.fingerprint = keyFingerprint(key);
      result.publicKeyPem = pubBytes.toString('utf8');
      if (recordFingerprint && recordFingerprint !== result.fingerprint)
        add(
          PUB,
          `the public key's fingerprint is ${result.fingerprint}; station.json records ${recordFingerprint}`,
          true,
        );
    }
  }

  if (!privInfo) add(PRIV, 'the private key file is missing');
  else if (!privInfo.isFile()) add(PRIV, 'the private key is not a regular file');
  else {
    // Its mode is `check`'s looseMode concern (fileModes.ts).
    const bytes = await readOrNull(paths.privateKey).catch(() => null);
    if (!bytes) add(PRIV, 'the private key file cannot be read');
    else checkPrivateFormat(bytes, result, add);
  }
  return result;
}

function checkPrivateFormat(
  bytes: Buffer,
  files: StationKeyFiles,
  add: (file: string, detail: string, identity?: boolean) => void,
): void {
  switch (files.protection) {
    case 'fileMode': {
      let derived: string;
      try {
        derived = keyFingerprint(createPublicKey(createPrivateKey(bytes)));
      } catch {
        add(PRIV, 'the private key file is not a PKCS#8 private key');
        return;
      }
      if (files.fingerprint && derived !== files.fingerprint)
        add(PRIV, `the private key belongs to key ${derived}, not to the public key ${files.fingerprint}`, true);
      return;
    }
    case 'passphrase':
      // Encrypted: only its envelope can be checked without the passphrase.
      if (!PassphraseEnvelope.safeParse(parseJson(bytes.toString('utf8'))).success)
        add(PRIV, 'the private key file is not a passphrase-encrypted key');
      return;
    case 'safeStorage':
      if (bytes.length === 0) add(PRIV, 'the private key file is empty');
      return;
    default:
  }
}

interface CustodyRow extends Omit<CustodyEntry, 'details'> {
  details: string;
}

function hasTable(db: ReadableDB, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Whether an entry's own hash recomputes and it links to the entry before it. */
function entryVerifies(db: ReadableDB, row: CustodyRow): boolean {
  const details = parseJson(row.details);
  if (!details || typeof details !== 'object') return false;
  const { hash, ...rest } = { ...row, details: details as Record<string, unknown> };
  if (hashCustodyEntry(rest) !== hash) return false;
  const before =
    row.seq === 1
      ? GENESIS_HASH
      : (db.prepare('SELECT hash FROM custody WHERE seq = ?').get(row.seq - 1) as { hash: string } | undefined)?.hash;
  return before === row.prev;
}

/**
 * The custody log's word on the station key: the newest `key.create` entry names the same
 * fingerprint (and verifies), and every signed checkpoint names it and verifies with it.
 * `withCheckpoints` is off for `check`, which verifies the checkpoints itself with the signer's key.
 */
export function stationKeyAnchorProblems(
  db: ReadableDB,
  fingerprint: string,
  publicKeyPem: string,
  opts: { withCheckpoints: boolean },
): string[] {
  const problems: string[] = [];
  if (hasTable(db, 'custody')) {
    const created = db.prepare("SELECT * FROM custody WHERE action = 'key.create' ORDER BY seq DESC LIMIT 1").get() as
      CustodyRow | undefined;
    if (created) {
      const details = parseJson(created.details) as { fingerprint?: unknown } | null;
      if (!entryVerifies(db, created))
        problems.push(`the key.create entry ${created.seq} does not verify in the custody chain`);
      else if (details?.fingerprint !== fingerprint)
        problems.push(
          `the key.create entry ${created.seq} records key ${String(details?.fingerprint)}, not ${fingerprint}`,
        );
    }
  }
  if (opts.withCheckpoints && hasTable(db, 'custody_checkpoints')) {
    const key = createPublicKey(publicKeyPem);
    const rows = db.prepare('SELECT statement, signature FROM custody_checkpoints ORDER BY id').all() as Array<{
      statement: string;
      signature: string;
    }>;
    for (const row of rows) {
      const parsed = CheckpointStatement.safeParse(parseJson(row.statement));
      const seq = parsed.success ? parsed.data.seq : 0;
      if (!parsed.success || parsed.data.keyFingerprint !== fingerprint) {
        problems.push(`the signed checkpoint at entry ${seq} names another key than ${fingerprint}`);
        break;
      }
      const good = verifySignature(null, Buffer.from(row.statement, 'utf8'), key, Buffer.from(row.signature, 'base64'));
      if (!good) {
        problems.push(`the signed checkpoint at entry ${seq} does not verify with key ${fingerprint}`);
        break;
      }
    }
  }
  return problems;
}

/** The verdict on the station's own key: its fingerprint when everything agrees, else why not. */
export type StationKeyTrust =
  | { trusted: true; fingerprint: string; publicKeyPem: string; protection: string }
  | { trusted: false; absent: boolean; fingerprint: string | null; problems: string[] };

export async function stationKeyTrust(dataDir: string, db: ReadableDB | null): Promise<StationKeyTrust> {
  const files = await inspectStationKeyFiles(dataDir);
  if (files.absent) return { trusted: false, absent: true, fingerprint: null, problems: [] };
  // A missing or loose private key file says nothing about which key is the station's: only the
  // problems about the public key itself or the files' disagreement refuse it (`check` names all).
  const identity = files.problems.filter((p) => p.file !== PRIV || p.identity);
  const problems = identity.map((p) => `${p.file}: ${p.detail}`);
  if (files.fingerprint && files.publicKeyPem && db)
    problems.push(...stationKeyAnchorProblems(db, files.fingerprint, files.publicKeyPem, { withCheckpoints: true }));
  if (problems.length > 0 || !files.fingerprint || !files.publicKeyPem || !files.protection)
    return { trusted: false, absent: false, fingerprint: files.fingerprint, problems };
  return {
    trusted: true,
    fingerprint: files.fingerprint,
    publicKeyPem: files.publicKeyPem,
    protection: files.protection,
  };
}

/** One `trusted_keys` row that `key import` did not make (or whose record no longer holds). */
export interface TrustedKeyProblem {
  fingerprint: string;
  seq: number | null;
  detail: string;
}

/**
 * Every `trusted_keys` row checked against its custody entry: a `key.import` entry whose details
 * name the same fingerprint as the row and as the stored key, and which verifies in the chain
 * (its own hash, its link to the entry before, and no break in the chain before it).
 */
export function trustedKeyProblems(db: ReadableDB): { good: string[]; problems: TrustedKeyProblem[] } {
  if (!hasTable(db, 'trusted_keys')) return { good: [], problems: [] };
  const rows = db.prepare('SELECT fingerprint, public_key_pem, custody_seq FROM trusted_keys').all() as Array<{
    fingerprint: string;
    public_key_pem: string;
    custody_seq: number | null;
  }>;
  const good: string[] = [];
  const problems: TrustedKeyProblem[] = [];
  if (rows.length === 0) return { good, problems };
  if (!hasTable(db, 'custody')) {
    // Not a station's database (made by hand): no chain can vouch for any row.
    for (const row of rows)
      problems.push({
        fingerprint: row.fingerprint,
        seq: row.custody_seq,
        detail: `the trusted key ${row.fingerprint} has no custody log to vouch for it`,
      });
    return { good, problems };
  }
  const firstBroken = firstBrokenSeq(db);
  const entryStmt = db.prepare('SELECT * FROM custody WHERE seq = ?');
  for (const row of rows) {
    const refuse = (detail: string): void => {
      problems.push({ fingerprint: row.fingerprint, seq: row.custody_seq, detail });
    };
    let fingerprint: string;
    try {
      fingerprint = keyFingerprint(row.public_key_pem);
    } catch {
      refuse(`the trusted key ${row.fingerprint} is not a public key`);
      continue;
    }
    if (fingerprint !== row.fingerprint) {
      refuse(`the trusted key ${row.fingerprint} holds the public key ${fingerprint}`);
      continue;
    }
    const entry = row.custody_seq === null ? undefined : (entryStmt.get(row.custody_seq) as CustodyRow | undefined);
    const details = entry ? (parseJson(entry.details) as { fingerprint?: unknown } | null) : null;
    if (!entry || entry.action !== 'key.import' || details?.fingerprint !== fingerprint)
      refuse(`the trusted key ${fingerprint} has no key.import entry (its row names entry ${row.custody_seq ?? '-'})`);
    else if (!entryVerifies(db, entry) || (firstBroken !== null && firstBroken <= entry.seq))
      refuse(
        `the key.import entry ${entry.seq} of the trusted key ${fingerprint} does not verify in the custody chain`,
      );
    else good.push(fingerprint);
  }
  return { good, problems };
}

/** The first entry from genesis that does not verify, or null when the whole chain does. */
function firstBrokenSeq(db: ReadableDB): number | null {
  let expected = 1;
  let prev = GENESIS_HASH;
  for (const row of db.prepare('SELECT * FROM custody ORDER BY seq').iterate() as Iterable<CustodyRow>) {
    const details = parseJson(row.details);
    if (row.seq !== expected || row.prev !== prev || !details) return expected;
    const { hash, ...rest } = { ...row, details: details as Record<string, unknown> };
    if (hashCustodyEntry(rest) !== hash) return expected;
    prev = hash;
    expected++;
  }
  return null;
}

/**
 * The keys the running engine vouches for when it verifies a package: its own (checked against
 * its records when the engine started) and the imported keys that `key import` made.
 */
export function engineKnownKeys(
  db: ReadableDB,
  stationFingerprint: string,
): { station: string; imported: string[]; refused: Array<{ fingerprint: string | null; detail: string }> } {
  const { good, problems } = trustedKeyProblems(db);
  return {
    station: stationFingerprint,
    imported: [...new Set(good)],
    refused: problems.map((p) => ({ fingerprint: p.fingerprint, detail: p.detail })),
  };
}
