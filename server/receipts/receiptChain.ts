import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/core/util/canonicalJson';
import { PROTOCOL_VERSION, Receipt, type CommitFile } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';

/** The server's own key, which signs every receipt (server/keys/serverKey.ts). */
export interface ReceiptSigner {
  /** SHA-256 of the public key's SPKI DER, hex (server/PROTOCOL.md). */
  readonly fingerprint: string;
  /** Raw 64-byte Ed25519 signature. */
  sign(data: Uint8Array): Buffer;
}

/** A receipt exactly as issued: the canonical JSON text and the raw 64-byte Ed25519 signature over its bytes. */
export interface IssuedReceipt {
  seq: number;
  json: string;
  signature: Buffer;
}

export type ReceiptSubject = Omit<Receipt, 'type' | 'version' | 'seq' | 'prevHash' | 'serverKeyFingerprint'>;

/**
 * Appends the next receipt of the chain. Call it inside the transaction that records the commit:
 * it locks the chain's one head row first (`FOR UPDATE`), so on one PostgreSQL two server
 * instances append one after the other, and the seq has no gap (a rolled-back transaction takes
 * its seq with it). Each receipt names the SHA-256 of the previous receipt's bytes.
 */
export async function appendReceipt(tx: Sql, subject: ReceiptSubject, signer: ReceiptSigner): Promise<IssuedReceipt> {
  const [head] = await tx.query<{ seq: number; sha256: string }>(
    'SELECT seq, sha256 FROM receipt_head WHERE id = 1 FOR UPDATE',
  );
  if (!head) throw new Error('the receipt chain has no head row (migration 2 makes it)');
  const seq = Number(head.seq) + 1;
  const receipt = Receipt.parse({
    ...subject,
    files: [...subject.files].sort(byPath),
    type: 'evidence-station/receipt',
    version: PROTOCOL_VERSION,
    seq,
    prevHash: head.sha256,
    serverKeyFingerprint: signer.fingerprint,
  });
  const json = canonicalJson(receipt);
  const bytes = Buffer.from(json, 'utf8');
  const signature = signer.sign(bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await tx.query(
    `INSERT INTO receipts (seq, prev_hash, sha256, json, signature, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [seq, head.sha256, sha256, json, signature, subject.receivedAt],
  );
  await tx.query('UPDATE receipt_head SET seq = $1, sha256 = $2 WHERE id = 1', [seq, sha256]);
  return { seq, json, signature };
}

export async function receiptBySeq(sql: Sql, seq: number): Promise<IssuedReceipt | null> {
  const [row] = await sql.query<{ seq: number; json: string; signature: Uint8Array }>(
    'SELECT seq, json, signature FROM receipts WHERE seq = $1',
    [seq],
  );
  return row ? { seq: Number(row.seq), json: row.json, signature: Buffer.from(row.signature) } : null;
}

/** Sorted by the UTF-8 bytes of the path, as the package's manifests are: the same order on every machine. */
function byPath(a: CommitFile, b: CommitFile): number {
  return Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8'));
}
