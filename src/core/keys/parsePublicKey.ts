import { createPublicKey } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { keyFingerprint } from './fingerprint';

/**
 * An Ed25519 public key given as PEM, normalised to the SPKI PEM node writes (so the stored text
 * and its fingerprint agree whatever line endings or armour the file came with). Anything else,
 * including a private key, is `key.invalid`.
 */
export function parseEd25519PublicKey(pem: string): { publicKeyPem: string; fingerprint: string } {
  if (!/-----BEGIN PUBLIC KEY-----/.test(pem)) throw new AppError('key.invalid');
  let key;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new AppError('key.invalid');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('key.invalid');
  return { publicKeyPem: key.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(key) };
}
