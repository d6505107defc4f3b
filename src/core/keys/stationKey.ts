import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { StationKeyInfo } from '../../shared/sealSchemas';
import type { KeyProtector } from '../engineApi';
import { fsyncDir, writeFileAtomic } from '../store/atomicWrite';
import { groupFingerprint, keyFingerprint } from './fingerprint';
import { openWithPassphrase, PassphraseEnvelope, sealWithPassphrase } from './keyProtection';

/**
 * The station's Ed25519 signing key. Files (read by the package verifier too):
 * - `keys/station.pub.pem`: the public key, SPKI PEM, as copied into every package's `seal/`;
 * - `keys/station.key` (0600, in a 0700 folder): the private key, protected as `station.json` says:
 *   `safeStorage` (bytes from the desktop app's OS keychain encryption), `passphrase` (a scrypt +
 *   AES-256-GCM envelope, JSON) or `fileMode` (plain PKCS#8 PEM, guarded by the file mode alone);
 * - `keys/station.json`: the protection and fingerprint. Written last, so it marks a complete key:
 *   a folder without it holds only leftovers of an interrupted creation, never a key that signed.
 */
export type KeyProtection = StationKeyInfo['protection'];

export const PASSPHRASE_ENV = 'STATION_KEY_PASSPHRASE';

const KeyRecord = z.object({
  format: z.literal('evidence-station/station-key'),
  algorithm: z.literal('ed25519'),
  protection: z.enum(['safeStorage', 'passphrase', 'fileMode']),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
});
type KeyRecord = z.infer<typeof KeyRecord>;

export interface KeyPaths {
  dir: string;
  publicKey: string;
  privateKey: string;
  record: string;
}

export function keyPaths(dataDir: string): KeyPaths {
  const dir = join(dataDir, 'keys');
  return {
    dir,
    publicKey: join(dir, 'station.pub.pem'),
    privateKey: join(dir, 'station.key'),
    record: join(dir, 'station.json'),
  };
}

/** What the engine hands to whoever signs (seals, custody checkpoints). Never the private key itself. */
export interface StationKey {
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  readonly protection: KeyProtection;
  /** Raw 64-byte Ed25519 signature. Unlocks the private key on first use; refuses with `key.*` errors. */
  sign(data: Buffer): Promise<Buffer>;
  /** Unlocks the private key now, so a command refuses (`key.*`) before it starts any work. */
  unlock(): Promise<void>;
  info(): StationKeyInfo;
}

export interface KeySecrets {
  /** Present in the desktop app when the OS offers encryption. */
  protector?: KeyProtector | undefined;
  /** `STATION_KEY_PASSPHRASE`, read by the caller from its environment. */
  passphrase?: string | undefined;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function writePrivate(path: string, data: string | Buffer): Promise<void> {
  // writeFileAtomic creates its temp file 0600; chmod again in case a umask or an old file interfered.
  await writeFileAtomic(path, data);
  await chmod(path, 0o600);
}

/**
 * Makes the station key when the data directory has none (at `init`, and at the first start of a
 * station made before keys existed). Protection is chosen once, at creation: the desktop app's
 * keychain when offered, else the passphrase when one is set, else the file mode.
 */
export async function ensureStationKey(
  dataDir: string,
  secrets: KeySecrets,
  now: Date,
  /**
   * The station has signed before (a checkpoint or a sealed version exists): its key must be there.
   * A missing record then means a damaged or deleted key folder, and making a new key would delete
   * what is left of the one everything was signed with.
   */
  hasSigned = false,
): Promise<StationKey> {
  const paths = keyPaths(dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await chmod(paths.dir, 0o700);
  if (!(await exists(paths.record))) {
    if (hasSigned) throw damaged(paths, paths.record);
    await createStationKey(paths, secrets, now);
  }
  return loadStationKey(paths, secrets);
}

function damaged(paths: KeyPaths, file: string): AppError {
  return new AppError('key.damaged', { folder: paths.dir, file: basename(file) });
}

/** Reads a key file; a missing one is `key.damaged`, not a bare ENOENT. */
async function readKeyFile(paths: KeyPaths, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw damaged(paths, file);
    throw error;
  }
}

async function createStationKey(paths: KeyPaths, secrets: KeySecrets, now: Date): Promise<void> {
  // Leftovers of an interrupted creation never signed anything (the record is written last).
  await rm(paths.privateKey, { force: true });
  await rm(paths.publicKey, { force: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  let protection: KeyProtection;
  let stored: string | Buffer;
  if (secrets.protector && (await secrets.protector.isAvailable())) {
    protection = 'safeStorage';
    stored = await secrets.protector.encrypt(pkcs8);
  } else if (secrets.passphrase) {
    protection = 'passphrase';
    stored = `${JSON.stringify(await sealWithPassphrase(pkcs8, secrets.passphrase), null, 2)}\n`;
  } else {
    protection = 'fileMode';
    stored = privateKey.export({ type: 'pkcs8', format: 'pem' });
  }
  pkcs8.fill(0);
  await writePrivate(paths.privateKey, stored);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' });
  await writeFileAtomic(paths.publicKey, publicKeyPem);
  await chmod(paths.publicKey, 0o644);
  const record: KeyRecord = {
    format: 'evidence-station/station-key',
    algorithm: 'ed25519',
    protection,
    fingerprint: keyFingerprint(publicKey),
    createdAt: now.toISOString(),
  };
  await writeFileAtomic(paths.record, `${JSON.stringify(record, null, 2)}\n`);
  await fsyncDir(paths.dir);
}

/** Reads only the public half: what `key show` and `verify --data` need, with no secret and no engine. */
export async function readStationPublicKey(dataDir: string): Promise<{ publicKeyPem: string; fingerprint: string }> {
  const publicKeyPem = await readFile(keyPaths(dataDir).publicKey, 'utf8');
  return { publicKeyPem, fingerprint: keyFingerprint(publicKeyPem) };
}

async function readRecord(paths: KeyPaths): Promise<KeyRecord> {
  const parsed = KeyRecord.safeParse(safeJson((await readKeyFile(paths, paths.record)).toString('utf8')));
  if (!parsed.success) throw damaged(paths, paths.record);
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export async function loadStationKey(paths: KeyPaths, secrets: KeySecrets): Promise<StationKey> {
  const record = await readRecord(paths);
  const publicKeyPem = (await readKeyFile(paths, paths.publicKey)).toString('utf8');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    throw damaged(paths, paths.publicKey);
  }
  const fingerprint = keyFingerprint(publicKey);
  if (fingerprint !== record.fingerprint || publicKey.asymmetricKeyType !== 'ed25519') {
    // The public key file no longer matches the key made with it: nothing may be signed with it.
    throw damaged(paths, paths.publicKey);
  }
  let unlocked: Promise<KeyObject> | null = null;
  const unlock = (): Promise<KeyObject> => {
    unlocked ??= unlockPrivateKey(paths, record, secrets, fingerprint).catch((error: unknown) => {
      unlocked = null;
      throw error;
    });
    return unlocked;
  };
  return {
    publicKeyPem,
    fingerprint,
    protection: record.protection,
    async sign(data) {
      const key = await unlock();
      return edSign(null, data, key);
    },
    async unlock() {
      await unlock();
    },
    info: () => ({
      publicKeyPem,
      fingerprint,
      fingerprintGrouped: groupFingerprint(fingerprint),
      protection: record.protection,
    }),
  };
}

async function unlockPrivateKey(
  paths: KeyPaths,
  record: KeyRecord,
  secrets: KeySecrets,
  fingerprint: string,
): Promise<KeyObject> {
  const stored = await readKeyFile(paths, paths.privateKey);
  let key: KeyObject;
  switch (record.protection) {
    case 'safeStorage': {
      if (!secrets.protector) throw new AppError('key.unavailable');
      key = privateFromDer(await secrets.protector.decrypt(stored));
      break;
    }
    case 'passphrase': {
      if (!secrets.passphrase) throw new AppError('key.passphraseRequired');
      const envelope = PassphraseEnvelope.safeParse(JSON.parse(stored.toString('utf8')));
      if (!envelope.success) throw new AppError('key.passphraseWrong');
      key = privateFromDer(await openWithPassphrase(envelope.data, secrets.passphrase));
      break;
    }
    case 'fileMode':
      key = createPrivateKey(stored);
      break;
  }
  // A private key that does not belong to the published public key would sign packages nobody can
  // check. It unlocked, so the passphrase was right: the key file itself was replaced.
  if (keyFingerprint(createPublicKey(key)) !== fingerprint) throw damaged(paths, paths.privateKey);
  return key;
}

function privateFromDer(der: Buffer): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new AppError('key.passphraseWrong');
  } finally {
    der.fill(0);
  }
}
