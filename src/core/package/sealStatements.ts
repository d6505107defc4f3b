import { chmod, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignedCheckpoint } from '../../shared/custodySchemas';
import { fsyncDir } from '../store/atomicWrite';
import {
  APPROVAL_NAME,
  APPROVAL_SIGNATURE_NAME,
  CHECKPOINT_NAME,
  CHECKPOINT_SIGNATURE_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_NAME,
  SERVER_KEY_NAME,
  isSafeBagPath,
  receiptName,
  receiptSignatureName,
} from './bagFormat';

/**
 * Statements an export adds under `seal/` after sealing: each signed on its own and outside the
 * tag manifest, so the sealed bytes (tag manifest, its signature, payload) stay the same on every
 * export, while the copy still carries what the station knew when it left (FORMAT.md).
 */

export interface SealStatement {
  /** `seal/…`, never the public key or the tag manifest's signature. */
  path: string;
  bytes: Buffer;
}

/** The checkpoint as two files: the exact signed text and its raw signature (openssl reads both as they are). */
export function checkpointStatements(checkpoint: SignedCheckpoint): SealStatement[] {
  return [
    { path: CHECKPOINT_NAME, bytes: Buffer.from(checkpoint.statementText, 'utf8') },
    { path: CHECKPOINT_SIGNATURE_NAME, bytes: Buffer.from(checkpoint.signature, 'base64') },
  ];
}

/** The approval of the version as two files: the exact signed statement and its raw signature. */
export function approvalStatements(approval: { statementText: string; signature: string }): SealStatement[] {
  return [
    { path: APPROVAL_NAME, bytes: Buffer.from(approval.statementText, 'utf8') },
    { path: APPROVAL_SIGNATURE_NAME, bytes: Buffer.from(approval.signature, 'base64') },
  ];
}

/**
 * A receipt of the central server as the export carries it: the JSON and signature exactly as
 * received, and the server key pinned at enrolment they verify against (FORMAT.md).
 */
export function receiptStatements(
  receipts: ReadonlyArray<{ seq: number; receiptJson: string; signature: Buffer }>,
  serverKeyPem: string,
): SealStatement[] {
  if (receipts.length === 0) return [];
  return [
    ...receipts.flatMap((r) => [
      { path: receiptName(r.seq), bytes: Buffer.from(r.receiptJson, 'utf8') },
      { path: receiptSignatureName(r.seq), bytes: Buffer.from(r.signature) },
    ]),
    { path: SERVER_KEY_NAME, bytes: Buffer.from(serverKeyPem, 'utf8') },
  ];
}

export function validateSealStatements(statements: readonly SealStatement[]): void {
  const seen = new Set<string>();
  for (const s of statements) {
    if (
      !s.path.startsWith('seal/') ||
      !isSafeBagPath(s.path) ||
      s.path.split('/').length !== 2 ||
      s.path === PUBLIC_KEY_NAME ||
      s.path === SIGNATURE_NAME ||
      seen.has(s.path)
    )
      throw new Error(`not a seal statement path: ${JSON.stringify(s.path)}`);
    seen.add(s.path);
  }
}

/** Writes each statement into the copied bag's `seal/` (which exists), flushed, then the folder. */
export async function writeSealStatements(bagDir: string, statements: readonly SealStatement[]): Promise<void> {
  if (statements.length === 0) return;
  validateSealStatements(statements);
  for (const s of statements) {
    const handle = await open(join(bagDir, ...s.path.split('/')), 'wx', 0o644);
    try {
      await handle.writeFile(s.bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(join(bagDir, ...s.path.split('/')), 0o644);
  }
  await fsyncDir(join(bagDir, 'seal'));
}
