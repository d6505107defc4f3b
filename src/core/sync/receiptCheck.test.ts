import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../shared/syncProtocol';
import { keyFingerprint } from '../keys/fingerprint';
import { canonicalJson } from '../util/canonicalJson';
import { checkReceipt, type ExpectedReceipt } from './receiptCheck';
import { SyncFailure } from './syncFailure';

/**
 * A receipt is kept only when the pinned server key signed exactly its canonical text and it names
 * exactly what was sent; anything else is `receipt.invalid`, with what differs.
 */

const server = generateKeyPairSync('ed25519');
const serverPem = server.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const other = generateKeyPairSync('ed25519');
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

const files = [
  { path: 'bagit.txt', sha256: hex('a'), size: 55 },
  { path: 'data/originals/0001_a.mp4', sha256: hex('b'), size: 1_000_000 },
  { path: 'tagmanifest-sha256.txt', sha256: hex('c'), size: 300 },
];
const expected: ExpectedReceipt = {
  serverKeyPem: serverPem,
  serverKeyFingerprint: keyFingerprint(serverPem),
  stationId: 'station-1',
  stationKeyFingerprint: hex('station key'),
  caseNumber: 'ZF-2026-00001',
  version: 2,
  tagManifestSha256: hex('c'),
  files,
  idempotencyKey: `station-1:ZF-2026-00001:v2:${hex('c')}`,
};
const receipt: Receipt = {
  type: 'evidence-station/receipt',
  version: 1,
  seq: 7,
  prevHash: hex('previous receipt'),
  receivedAt: '2026-12-03T01:00:00.000Z',
  serverKeyFingerprint: expected.serverKeyFingerprint,
  stationId: expected.stationId,
  stationKeyFingerprint: expected.stationKeyFingerprint,
  caseNumber: expected.caseNumber,
  caseVersion: expected.version,
  tagManifestSha256: expected.tagManifestSha256,
  files,
  idempotencyKey: expected.idempotencyKey,
};

function answer(text: string, key = server.privateKey) {
  return { receipt: text, signature: sign(null, Buffer.from(text, 'utf8'), key).toString('base64') };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SyncFailure && error.code === 'receipt.invalid') return error.detail;
    throw error;
  }
  throw new Error('accepted');
}

describe('checkReceipt', () => {
  it('accepts the receipt the pinned key signed for what was sent, byte for byte', () => {
    const text = canonicalJson(receipt);
    const checked = checkReceipt(answer(text), expected);
    expect(checked.text).toBe(text);
    expect(checked.receipt.seq).toBe(7);
    expect(checked.signature).toHaveLength(64);
  });

  it('refuses another key, a signature over other bytes, and a text not in canonical form', () => {
    const text = canonicalJson(receipt);
    expect(refusal(() => checkReceipt(answer(text, other.privateKey), expected))).toMatch(/pinned/);
    const forged = { ...answer(text), receipt: text.replace('"seq":7', '"seq":8') };
    expect(refusal(() => checkReceipt(forged, expected))).toMatch(/pinned/);
    expect(refusal(() => checkReceipt({ ...answer(text), signature: 'AAAA' }, expected))).toMatch(/pinned/);
    const pretty = JSON.stringify(receipt, null, 2);
    expect(refusal(() => checkReceipt(answer(pretty), expected))).toMatch(/canonical/);
  });

  it('refuses a receipt that names anything but what was sent', () => {
    const cases: Array<[Partial<Receipt>, RegExp]> = [
      [{ caseNumber: 'ZF-2026-00002' }, /caseNumber/],
      [{ caseVersion: 1 }, /caseVersion/],
      [{ tagManifestSha256: hex('x') }, /tagManifestSha256/],
      [{ stationId: 'station-2' }, /stationId/],
      [{ stationKeyFingerprint: hex('other') }, /stationKeyFingerprint/],
      [{ serverKeyFingerprint: hex('other server') }, /serverKeyFingerprint/],
      [{ idempotencyKey: 'x' }, /idempotencyKey/],
      [{ files: files.slice(1) }, /files/],
      [{ files: files.map((f, i) => (i === 1 ? { ...f, size: f.size - 1 } : f)) }, /files/],
    ];
    for (const [change, why] of cases)
      expect(refusal(() => checkReceipt(answer(canonicalJson({ ...receipt, ...change })), expected))).toMatch(why);
  });
});
