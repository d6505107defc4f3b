import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * A station key's fingerprint: SHA-256 of the public key's SPKI DER encoding, lowercase hex. Chosen
 * so anyone can recompute it without our software:
 * `openssl pkey -pubin -in seal/station.pub.pem -outform DER | sha256sum`.
 */
export function keyFingerprint(publicKey: string | KeyObject): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** The fingerprint in groups of four hex digits, for reading aloud and comparing by eye. */
export function groupFingerprint(fingerprint: string): string {
  return (fingerprint.match(/.{1,4}/g) ?? []).join(' ');
}
