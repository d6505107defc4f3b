import type { CommitFile, CommitResponse, Receipt } from '../../shared/syncProtocol';
import { parseReceiptText, receiptSignatureValid } from '../package/receiptCheck';
import { SyncFailure } from './syncFailure';

/**
 * A receipt is believed only when it verifies against the server key pinned at enrolment (never a
 * key fetched now) and names exactly what this station sent: its own id and key, the case and
 * version, the tag manifest's hash, every file with its hash and size, and the idempotency key.
 * The text and signature are kept exactly as received, so `openssl pkeyutl -verify -rawin` checks
 * the stored and exported copies.
 */

export interface ExpectedReceipt {
  serverKeyPem: string;
  serverKeyFingerprint: string;
  stationId: string;
  stationKeyFingerprint: string;
  caseNumber: string;
  version: number;
  tagManifestSha256: string;
  files: readonly CommitFile[];
  idempotencyKey: string;
}

const byPath = (a: CommitFile, b: CommitFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function checkReceipt(
  answer: CommitResponse,
  expected: ExpectedReceipt,
): { receipt: Receipt; text: string; signature: Buffer } {
  const signature = Buffer.from(answer.signature, 'base64');
  const text = answer.receipt;
  if (!receiptSignatureValid(Buffer.from(text, 'utf8'), signature, expected.serverKeyPem))
    throw new SyncFailure('receipt.invalid', 'the receipt is not signed by the server key pinned at enrolment');
  const receipt = parseReceiptText(text);
  if (!receipt) throw new SyncFailure('receipt.invalid', 'the signed text is not a receipt in its canonical form');
  const wrong: string[] = [];
  const expect = (field: string, got: unknown, want: unknown): void => {
    if (got !== want) wrong.push(`${field} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  expect('serverKeyFingerprint', receipt.serverKeyFingerprint, expected.serverKeyFingerprint);
  expect('stationId', receipt.stationId, expected.stationId);
  expect('stationKeyFingerprint', receipt.stationKeyFingerprint, expected.stationKeyFingerprint);
  expect('caseNumber', receipt.caseNumber, expected.caseNumber);
  expect('caseVersion', receipt.caseVersion, expected.version);
  expect('tagManifestSha256', receipt.tagManifestSha256, expected.tagManifestSha256);
  expect('idempotencyKey', receipt.idempotencyKey, expected.idempotencyKey);
  const sent = [...expected.files].sort(byPath);
  const named = [...receipt.files].sort(byPath);
  if (
    sent.length !== named.length ||
    sent.some((f, i) => f.path !== named[i]!.path || f.sha256 !== named[i]!.sha256 || f.size !== named[i]!.size)
  )
    wrong.push(`the receipt names ${named.length} files that differ from the ${sent.length} sent`);
  if (wrong.length > 0) throw new SyncFailure('receipt.invalid', wrong.join('; '));
  return { receipt, text, signature };
}
