import { ApprovalStatement } from '../../shared/sealSchemas';
import type { CaseVersionRow } from '../seal/caseVersionsRepo';
import { canonicalJson } from '../util/canonicalJson';

/**
 * The statement an approval signs, exported as `seal/approval.json` (FORMAT.md): who approved
 * which case, version and tag-manifest hash, when, at which station, with which key. The text is
 * canonical JSON (keys sorted, no spaces, no final newline), so the signed bytes are exactly the
 * file's bytes and openssl checks them as they are.
 */
export function approvalStatementText(
  row: Pick<CaseVersionRow, 'case_id' | 'number' | 'version' | 'tag_manifest_sha256' | 'sealed_by'>,
  by: { approvedBy: string; approvedAt: string; stationId: string; keyFingerprint: string },
): string {
  const statement = ApprovalStatement.parse({
    type: 'evidence-station/approval',
    version: 1,
    caseId: row.case_id,
    caseNumber: row.number,
    caseVersion: row.version,
    tagManifestSha256: row.tag_manifest_sha256,
    sealedBy: row.sealed_by,
    ...by,
  });
  return canonicalJson(statement);
}
