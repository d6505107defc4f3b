import type { ReadableDB } from '../db/database';
import { receiptStatements, type SealStatement } from '../package/sealStatements';
import { readEnrolmentOnRecord } from './enrolmentOnRecord';
import { receiptsOfVersion, type VersionKey } from './outboxRepo';

/**
 * What an export of a synced version carries under `seal/` (FORMAT.md): each receipt the central
 * server gave for it, byte for byte as received and checked, and the server key pinned at
 * enrolment, which they verify against. A version never synced carries none.
 */
export function receiptStatementsOf(db: ReadableDB, key: VersionKey): SealStatement[] {
  // An enrolment row edited to another server's key would export that key as the receipts' signer.
  const enrolment = readEnrolmentOnRecord(db);
  if (!enrolment) return [];
  const receipts = receiptsOfVersion(db, key).filter((r) => r.serverKeyFingerprint === enrolment.serverKeyFingerprint);
  return receiptStatements(receipts, enrolment.serverKeyPem);
}
