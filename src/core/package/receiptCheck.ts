import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { CarriedReceipt } from '../../shared/sealSchemas';
import { Receipt } from '../../shared/syncProtocol';
import { keyFingerprint } from '../keys/fingerprint';
import { canonicalJson } from '../util/canonicalJson';
import { SERVER_KEY_NAME, receiptName, receiptSignatureName } from './bagFormat';

/**
 * The central server's receipts an export carries (`seal/receipt-<seq>.json` + `.sig`, with the
 * server key as `seal/server.pub.pem`; FORMAT.md), checked against the package they sit in: each
 * is the exact canonical receipt, signed by that key, names the key's fingerprint, this package's
 * tag manifest (by its SHA-256), case, version and the station key that signed the package. Whether
 * the server key is the office's is for the reader to compare (its fingerprint is reported).
 */

export const RECEIPT_SIGNATURE_BYTES = 64;

/** Parses a receipt's exact bytes; null when they are not a receipt in its signed (canonical) form. */
export function parseReceiptText(text: string): Receipt | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = Receipt.safeParse(value);
  if (!parsed.success) return null;
  return canonicalJson(value) === text ? parsed.data : null;
}

/** Whether `signature` is the raw Ed25519 signature of `text` by the key in `publicKeyPem`. */
export function receiptSignatureValid(text: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  if (signature.length !== RECEIPT_SIGNATURE_BYTES) return false;
  try {
    return verifySignature(null, text, createPublicKey(publicKeyPem), signature);
  } catch {
    return false;
  }
}

export interface ReceiptCheckInput {
  /** Each carried receipt by its seq (from the file name): its text and signature, null when absent. */
  receipts: ReadonlyMap<number, { text: Buffer | null; signature: Buffer | null }>;
  /** `seal/server.pub.pem`, null when absent. */
  serverKey: Buffer | null;
  tagManifest: Buffer | null;
  caseNumber: string | null;
  version: number | null;
  /** The package's own key fingerprint, when usable. */
  stationKeyFingerprint: string | null;
  /** `Station-Id` of bag-info.txt, when given. */
  stationId: string | undefined;
}

export interface ReceiptCheckResult {
  receipts: CarriedReceipt[];
  problems: Array<{ path: string; detail: string }>;
}

export function checkCarriedReceipts(input: ReceiptCheckInput): ReceiptCheckResult {
  const problems: ReceiptCheckResult['problems'] = [];
  const receipts: CarriedReceipt[] = [];
  if (input.receipts.size === 0) {
    if (input.serverKey) problems.push({ path: SERVER_KEY_NAME, detail: 'a server key without any receipt' });
    return { receipts, problems };
  }
  let serverFingerprint: string | null = null;
  const serverPem = input.serverKey?.toString('utf8') ?? null;
  if (!serverPem) problems.push({ path: SERVER_KEY_NAME, detail: 'the receipts cannot be checked: no server key' });
  else {
    try {
      serverFingerprint = keyFingerprint(serverPem);
    } catch {
      problems.push({ path: SERVER_KEY_NAME, detail: 'not a public key in PEM format' });
    }
  }
  const tagManifestSha256 = input.tagManifest ? createHash('sha256').update(input.tagManifest).digest('hex') : null;

  for (const [seq, files] of [...input.receipts].sort((a, b) => a[0] - b[0])) {
    const name = receiptName(seq);
    const before = problems.length;
    const add = (path: string, detail: string): void => {
      problems.push({ path, detail });
    };
    if (!files.text) {
      add(receiptSignatureName(seq), `a receipt signature without ${name}`);
      continue;
    }
    const receipt = parseReceiptText(files.text.toString('utf8'));
    if (!receipt) {
      add(name, 'not a receipt in its signed (canonical) form');
      continue;
    }
    const carried: CarriedReceipt = {
      seq: receipt.seq,
      receivedAt: receipt.receivedAt,
      serverKeyFingerprint: receipt.serverKeyFingerprint,
      verified: false,
    };
    receipts.push(carried);
    if (receipt.seq !== seq) add(name, `the file is named for receipt ${seq}; it says ${receipt.seq}`);
    if (!files.signature) add(name, `the receipt has no signature (${receiptSignatureName(seq)})`);
    else if (serverPem && serverFingerprint) {
      if (!receiptSignatureValid(files.text, files.signature, serverPem))
        add(receiptSignatureName(seq), `the signature does not match the receipt and ${SERVER_KEY_NAME}`);
      if (receipt.serverKeyFingerprint !== serverFingerprint)
        add(name, `names server key ${receipt.serverKeyFingerprint}; ${SERVER_KEY_NAME} is ${serverFingerprint}`);
    }
    if (!tagManifestSha256) add(name, 'cannot be matched: the package has no readable tag manifest');
    else if (receipt.tagManifestSha256 !== tagManifestSha256)
      add(name, `names tag manifest ${receipt.tagManifestSha256}; this package's tag manifest is ${tagManifestSha256}`);
    if (input.caseNumber !== null && receipt.caseNumber !== input.caseNumber)
      add(name, `names case ${receipt.caseNumber}; the package is case ${input.caseNumber}`);
    if (input.version !== null && receipt.caseVersion !== input.version)
      add(name, `names version ${receipt.caseVersion}; the package is version ${input.version}`);
    if (input.stationKeyFingerprint !== null && receipt.stationKeyFingerprint !== input.stationKeyFingerprint)
      add(
        name,
        `names station key ${receipt.stationKeyFingerprint}; the package is signed by ${input.stationKeyFingerprint}`,
      );
    if (input.stationId !== undefined && receipt.stationId !== input.stationId)
      add(name, `names station ${receipt.stationId}; bag-info.txt says ${input.stationId}`);
    if (!receipt.files.some((f) => f.path === 'tagmanifest-sha256.txt' && f.sha256 === tagManifestSha256))
      add(name, "does not list this package's tag manifest among the files received");
    // Without a usable server key nothing vouches for the receipt (that problem is named once, above).
    carried.verified = problems.length === before && serverFingerprint !== null;
  }
  return { receipts, problems };
}
