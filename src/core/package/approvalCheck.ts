import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { ApprovalStatement, type CarriedApproval } from '../../shared/sealSchemas';
import { canonicalJson } from '../util/canonicalJson';
import { APPROVAL_NAME, APPROVAL_SIGNATURE_NAME, SIGNATURE_BYTES } from './bagFormat';

/**
 * The supervisor's approval an export carries (`seal/approval.json` + `.sig`, FORMAT.md), checked
 * against the package it sits in: the exact signed canonical statement, signed by the package's
 * own key, naming this package's tag manifest (by its SHA-256), case, version and station. Any
 * failure is an `approval` problem; `verified` says the approval holds.
 */

export interface ApprovalCheckInput {
  text: Buffer;
  signature: Buffer;
  /** The package's public key and its fingerprint, when usable. */
  key: KeyObject | null;
  fingerprint: string | null;
  /** The package's `tagmanifest-sha256.txt`, when readable. */
  tagManifest: Buffer | null;
  caseNumber: string | null;
  version: number | null;
  /** `Station-Id` of bag-info.txt, when given. */
  stationId: string | undefined;
}

export interface ApprovalCheckResult {
  approval: CarriedApproval | null;
  problems: Array<{ path: string; detail: string }>;
}

export function checkApprovalStatement(input: ApprovalCheckInput): ApprovalCheckResult {
  const problems: ApprovalCheckResult['problems'] = [];
  const add = (path: string, detail: string): void => {
    problems.push({ path, detail });
  };
  let statement: ApprovalStatement;
  try {
    statement = ApprovalStatement.parse(JSON.parse(input.text.toString('utf8')));
  } catch {
    add(APPROVAL_NAME, 'not an approval statement');
    return { approval: null, problems };
  }
  // Exactly the bytes the station signs: anything added, reordered or reformatted is not its statement.
  if (canonicalJson(statement) !== input.text.toString('utf8')) {
    add(APPROVAL_NAME, 'not an approval statement in its signed (canonical) form');
    return { approval: null, problems };
  }
  const approval: CarriedApproval = { by: statement.approvedBy, at: statement.approvedAt, verified: false };

  if (input.signature.length !== SIGNATURE_BYTES)
    add(APPROVAL_SIGNATURE_NAME, `${input.signature.length} bytes; an Ed25519 signature is ${SIGNATURE_BYTES}`);
  else if (!input.key || !input.fingerprint)
    add(APPROVAL_SIGNATURE_NAME, 'cannot be checked: the package has no usable public key');
  else if (statement.keyFingerprint.toLowerCase() !== input.fingerprint)
    add(APPROVAL_NAME, `names key ${statement.keyFingerprint}, not the package's key ${input.fingerprint}`);
  else if (!verifySignature(null, input.text, input.key, input.signature))
    add(APPROVAL_SIGNATURE_NAME, 'the signature does not match the approval and the public key');

  if (!input.tagManifest) add(APPROVAL_NAME, 'cannot be matched: the package has no readable tag manifest');
  else {
    const actual = createHash('sha256').update(input.tagManifest).digest('hex');
    if (actual !== statement.tagManifestSha256)
      add(
        APPROVAL_NAME,
        `approves tag manifest ${statement.tagManifestSha256}; this package's tag manifest is ${actual}`,
      );
  }
  if (input.caseNumber !== null && input.caseNumber !== statement.caseNumber)
    add(APPROVAL_NAME, `approves case ${statement.caseNumber}; the package is case ${input.caseNumber}`);
  if (input.version !== null && input.version !== statement.caseVersion)
    add(APPROVAL_NAME, `approves version ${statement.caseVersion}; the package is version ${input.version}`);
  if (input.stationId !== undefined && input.stationId !== statement.stationId)
    add(APPROVAL_NAME, `names station ${statement.stationId}; bag-info.txt says ${input.stationId}`);
  approval.verified = problems.length === 0;
  return { approval, problems };
}
