import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { writeFileAtomic } from '../../src/core/store/atomicWrite';

/**
 * The server's Ed25519 key: it signs every receipt, and its fingerprint is in every enrolment code,
 * so stations pin it. Made once at first start; never replaced silently (a new key would make
 * every station refuse the server, and every earlier receipt would name a key it no longer holds).
 */
export interface ServerKey {
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  /** Raw 64-byte Ed25519 signature over `data`. */
  sign(data: Uint8Array): Buffer;
}

export class ServerKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerKeyError';
  }
}

export function serverKeyPaths(dataDir: string): { dir: string; privateKey: string; publicKey: string } {
  const dir = join(dataDir, 'keys');
  return { dir, privateKey: join(dir, 'server.key.pem'), publicKey: join(dir, 'server.pub.pem') };
}

/**
 * Loads the key from `DIR/keys`, or makes it when neither file exists. The private key is written
 * first (temp, fsync, rename, mode 0600), the public key second and derived from it, so a crash
 * between the two is repaired at the next start; a public key without its private key is refused.
 */
export async function loadOrCreateServerKey(dataDir: string): Promise<ServerKey> {
  const paths = serverKeyPaths(dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  let privatePem = await readFile(paths.privateKey, 'utf8').catch(missingAsNull);
  const publicPem = await readFile(paths.publicKey, 'utf8').catch(missingAsNull);
  if (privatePem === null) {
    if (publicPem !== null) {
      throw new ServerKeyError(
        `${paths.publicKey} exists but ${paths.privateKey} does not: restore the private key from backup; ` +
          'making a new one would break every enrolled station',
      );
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writeFileAtomic(paths.privateKey, privatePem);
  }
  const mode = (await stat(paths.privateKey)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ServerKeyError(
      `${paths.privateKey} is readable by other users (mode ${mode.toString(8)}): chmod 600 it first`,
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privatePem);
  } catch {
    throw new ServerKeyError(`${paths.privateKey} is not a readable private key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ServerKeyError(`${paths.privateKey} is not an Ed25519 key`);
  const derivedPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  if (publicPem === null) {
    await writeFileAtomic(paths.publicKey, derivedPem);
  } else if (keyFingerprint(publicPem) !== keyFingerprint(derivedPem)) {
    throw new ServerKeyError(`${paths.publicKey} does not belong to ${paths.privateKey}`);
  }
  const fingerprint = keyFingerprint(derivedPem);
  return {
    publicKeyPem: derivedPem,
    fingerprint,
    sign: (data) => sign(null, data, privateKey),
  };
}

function missingAsNull(error: NodeJS.ErrnoException): null {
  if (error.code === 'ENOENT') return null;
  throw error;
}
