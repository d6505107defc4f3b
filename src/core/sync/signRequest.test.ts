import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestSigningText, UNSIGNED_PAYLOAD } from '../../shared/syncProtocol';
import { signRequest } from './signRequest';

const NONCE = 'ab'.repeat(32);

describe('the request signing text', () => {
  it('is the six protocol lines joined by newlines, method upper-cased, path and query as sent', () => {
    expect(
      requestSigningText({
        method: 'post',
        pathAndQuery: '/api/v1/commit?x=1&y=%20',
        stationId: 'st-1',
        nonce: NONCE,
        bodySha256: 'cd'.repeat(32),
      }),
    ).toBe(`ES-REQUEST-1\nPOST\n/api/v1/commit?x=1&y=%20\nst-1\n${NONCE}\n${'cd'.repeat(32)}`);
  });
});

describe('signRequest', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');

  it('signs the body hash of the exact bytes, checkable with openssl against the public key', () => {
    const body = Buffer.from('{"caseNumber":"2026-001"}', 'utf8');
    const headers = signRequest(privateKey, {
      method: 'POST',
      pathAndQuery: '/api/v1/commit',
      stationId: 'st-1',
      nonce: NONCE,
      body,
    });
    expect(headers['x-station-id']).toBe('st-1');
    expect(headers['x-station-nonce']).toBe(NONCE);
    expect(headers['x-station-body-sha256']).toBe(createHash('sha256').update(body).digest('hex'));
    const text = requestSigningText({
      method: 'POST',
      pathAndQuery: '/api/v1/commit',
      stationId: 'st-1',
      nonce: NONCE,
      bodySha256: headers['x-station-body-sha256'],
    });
    const signature = Buffer.from(headers['x-station-signature'], 'base64');
    expect(signature).toHaveLength(64);
    expect(verify(null, Buffer.from(text, 'utf8'), publicKey, signature)).toBe(true);

    const dir = mkdtempSync(join(tmpdir(), 'es-sign-'));
    try {
      writeFileSync(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
      writeFileSync(join(dir, 'text'), text);
      writeFileSync(join(dir, 'sig'), signature);
      const out = execFileSync('openssl', [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        join(dir, 'pub.pem'),
        '-rawin',
        '-in',
        join(dir, 'text'),
        '-sigfile',
        join(dir, 'sig'),
      ]).toString();
      expect(out).toMatch(/Signature Verified Successfully/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs UNSIGNED-PAYLOAD literally for a streamed body', () => {
    const headers = signRequest(privateKey, {
      method: 'PATCH',
      pathAndQuery: '/api/v1/uploads/abc',
      stationId: 'st-1',
      nonce: NONCE,
      body: UNSIGNED_PAYLOAD,
    });
    expect(headers['x-station-body-sha256']).toBe(UNSIGNED_PAYLOAD);
    const text = `ES-REQUEST-1\nPATCH\n/api/v1/uploads/abc\nst-1\n${NONCE}\nUNSIGNED-PAYLOAD`;
    expect(verify(null, Buffer.from(text), publicKey, Buffer.from(headers['x-station-signature'], 'base64'))).toBe(
      true,
    );
  });
});
