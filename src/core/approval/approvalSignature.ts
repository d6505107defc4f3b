import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { ApprovalStatement } from '../../shared/sealSchemas';
import type { CaseVersionRow } from '../seal/caseVersionsRepo';
import { canonicalJson } from '../util/canonicalJson';

/** The station's public key, as the engine loaded it (`keys/stationKey.ts`). */
export interface ApprovalKey {
  publicKeyPem: string;
  fingerprint: string;
}

/**
 * Whether a version's stored approval statement is one the station key signed, about this very
 * version. The custody log alone cannot say so: whoever holds the database file can append a
 * `case.approve` entry past the last signed checkpoint, recompute its hash and move the head file,
 * and the chain, the head and the checkpoints all agree. The station key is encrypted, so only the
 * signature tells a real approval from such an entry. Returns what is wrong, in words.
 */
export function approvalSignatureProblems(
  row: Pick<
    CaseVersionRow,
    | 'case_id'
    | 'version'
    | 'tag_manifest_sha256'
    | 'sealed_by'
    | 'approved_by'
    | 'approved_at'
    | 'approval_statement'
    | 'approval_signature'
  >,
  key: ApprovalKey,
): string[] {
  if (row.approval_statement === null || row.approval_signature === null) return [];
  const parsed = ApprovalStatement.safeParse(safeJson(row.approval_statement));
  if (!parsed.success || canonicalJson(parsed.data) !== row.approval_statement)
    return ['the stored approval statement is not an approval statement in its signed (canonical) form'];
  const statement = parsed.data;
  const problems: string[] = [];
  if (statement.keyFingerprint !== key.fingerprint)
    problems.push(`the approval statement names key ${statement.keyFingerprint}, not the station key`);
  else if (!signedBy(row.approval_statement, row.approval_signature, key))
    problems.push('the approval statement is not signed by the station key');
  if (
    statement.caseId !== row.case_id ||
    statement.caseVersion !== row.version ||
    statement.tagManifestSha256 !== row.tag_manifest_sha256
  )
    problems.push('the approval statement approves another version');
  if (statement.approvedBy !== row.approved_by || statement.approvedAt !== row.approved_at)
    problems.push(`the approval statement names ${statement.approvedBy} at ${statement.approvedAt} as approver`);
  if (statement.sealedBy !== row.sealed_by)
    problems.push(`the approval statement names ${statement.sealedBy} as sealer, the version ${row.sealed_by}`);
  return problems;
}

function signedBy(text: string, signatureBase64: string, key: ApprovalKey): boolean {
  try {
    return verifySignature(
      null,
      Buffer.from(text, 'utf8'),
      createPublicKey(key.publicKeyPem),
      Buffer.from(signatureBase64, 'base64'),
    );
  } catch {
    // A signature of the wrong length, for one: not the key's.
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
