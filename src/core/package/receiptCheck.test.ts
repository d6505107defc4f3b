import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Receipt } from '../../shared/syncProtocol';
import { keyFingerprint } from '../keys/fingerprint';
import { canonicalJson } from '../util/canonicalJson';
import { checkCarriedReceipts, type ReceiptCheckInput } from './receiptCheck';

/**
 * The receipts an export carries, checked against the package they sit in: a good one verifies;
 * a receipt for another package, one signed by another key, one whose file name says another seq,
 * and a server key without receipts are each a problem naming the file.
 */

const server = generateKeyPairSync('ed25519');
const serverPem = server.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const intruder = generateKeyPairSync('ed25519');
const tagManifest = Buffer.from('0123  bagit.txt\n');
const tagSha = createHash('sha256').update(tagManifest).digest('hex');
const stationFp = 'a'.repeat(64);

const receipt: Receipt = {
  type: 'evidence-station/receipt',
  version: 1,
  seq: 3,
  prevHash: 'b'.repeat(64),
  receivedAt: '2026-12-03T01:00:00.000Z',
  serverKeyFingerprint: keyFingerprint(serverPem),
  stationId: 'st-1',
  stationKeyFingerprint: stationFp,
  caseNumber: 'ZF-1',
  caseVersion: 1,
  tagManifestSha256: tagSha,
  files: [{ path: 'tagmanifest-sha256.txt', sha256: tagSha, size: tagManifest.length }],
  idempotencyKey: `st-1:ZF-1:v1:${tagSha}`,
};

function input(
  r: Partial<Receipt> = {},
  opts: { seq?: number; key?: typeof server.privateKey } = {},
): ReceiptCheckInput {
  const text = Buffer.from(canonicalJson({ ...receipt, ...r }), 'utf8');
  return {
    receipts: new Map([[opts.seq ?? 3, { text, signature: sign(null, text, opts.key ?? server.privateKey) }]]),
    serverKey: Buffer.from(serverPem),
    tagManifest,
    caseNumber: 'ZF-1',
    version: 1,
    stationKeyFingerprint: stationFp,
    stationId: 'st-1',
  };
}

describe('checkCarriedReceipts', () => {
  it('verifies a receipt for this package signed by the carried server key', () => {
    const result = checkCarriedReceipts(input());
    expect(result.problems).toEqual([]);
    expect(result.receipts).toEqual([
      { seq: 3, receivedAt: receipt.receivedAt, serverKeyFingerprint: receipt.serverKeyFingerprint, verified: true },
    ]);
  });

  it('names each way a receipt does not belong to the package', () => {
    const details = (i: ReceiptCheckInput) => checkCarriedReceipts(i).problems.map((p) => `${p.path}: ${p.detail}`);
    expect(details(input({ tagManifestSha256: 'c'.repeat(64) }))).toEqual(
      expect.arrayContaining([expect.stringMatching(/names tag manifest c+/)]),
    );
    expect(details(input({ caseNumber: 'ZF-2' }))).toEqual([expect.stringMatching(/names case ZF-2/)]);
    expect(details(input({}, { key: intruder.privateKey }))).toEqual([
      expect.stringMatching(/receipt-3\.json\.sig: the signature does not match/),
    ]);
    expect(details(input({}, { seq: 4 }))).toEqual([expect.stringMatching(/named for receipt 4/)]);
    const none: ReceiptCheckInput = { ...input(), receipts: new Map() };
    expect(details(none)).toEqual([expect.stringMatching(/server key without any receipt/)]);
    expect(checkCarriedReceipts({ ...input(), serverKey: null }).receipts[0]?.verified).toBe(false);
  });
});
