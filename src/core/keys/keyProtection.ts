import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

/**
 * How a station's private key is kept at rest when no host keychain protects it: scrypt derives a
 * key from the admin's passphrase, AES-256-GCM encrypts the PKCS#8 DER and authenticates it, so a
 * wrong passphrase and a damaged file are both refused rather than yielding a wrong key.
 */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

export const PassphraseEnvelope = z.object({
  format: z.literal('evidence-station/encrypted-key'),
  kdf: z.literal('scrypt'),
  N: z.number().int().positive(),
  r: z.number().int().positive(),
  p: z.number().int().positive(),
  salt: z.string(),
  cipher: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type PassphraseEnvelope = z.infer<typeof PassphraseEnvelope>;

function deriveKey(passphrase: string, salt: Buffer, opts: ScryptOptions & { N: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(passphrase.normalize('NFC'), salt, 32, { ...opts, maxmem: SCRYPT.maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function sealWithPassphrase(secret: Buffer, passphrase: string): Promise<PassphraseEnvelope> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await deriveKey(passphrase, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  return {
    format: 'evidence-station/encrypted-key',
    kdf: 'scrypt',
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm',
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** Throws `key.passphraseWrong` when the passphrase is wrong or the envelope was altered. */
export async function openWithPassphrase(envelope: PassphraseEnvelope, passphrase: string): Promise<Buffer> {
  const key = await deriveKey(passphrase, Buffer.from(envelope.salt, 'base64'), {
    N: envelope.N,
    r: envelope.r,
    p: envelope.p,
  });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
  } catch {
    throw new AppError('key.passphraseWrong');
  }
}
