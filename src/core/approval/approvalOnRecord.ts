import { createHash } from 'node:crypto';
import type { ReadableDB } from '../db/database';
import type { CaseVersionRow } from '../seal/caseVersionsRepo';
import { approvalSignatureProblems, type ApprovalKey } from './approvalSignature';
import { firstAuthoringEntry } from './authorship';

interface ApprovalEntry {
  seq: number;
  actor: string;
  action: string;
  subject: string | null;
  details: string | null;
}

/**
 * Whether a version's approval columns are backed by the custody log, as the engine writes them
 * (`versionSteps.markVersionApproved`): the `case.approve` entry they name, by the approver, after
 * the seal, about this version, its tag manifest and the exact signed statement, and an approver
 * the four-eyes rule allows (`reviewRules.ts`), judged again from the log. The engine's own steps
 * always pass; a row set by hand in the database file (a supervisor's name typed into an unreviewed
 * version, or an entry deleted) does not, and such a version must not leave the station.
 * With `key` (the station's public key), the stored statement must also be the one that key signed
 * for this version; null asks the log alone (the review steps' unit tests, which sign nothing).
 * Returns what is wrong, in words; empty when the approval is on record or the version has none.
 */
export function approvalProblems(db: ReadableDB, row: CaseVersionRow, key: ApprovalKey | null): string[] {
  if (row.approved_by === null && row.approval_seq === null) return [];
  // The log can be rewritten past its last signed checkpoint by whoever holds the file; the
  // statement's signature cannot be made without the station key (`approvalSignature.ts`).
  const problems: string[] = key ? approvalSignatureProblems(row, key) : [];
  const seq = row.approval_seq;
  if (seq === null || row.approved_by === null || row.approval_statement === null) {
    return [...problems, 'the version is marked approved, but its approval record is incomplete'];
  }
  const entry = db.prepare('SELECT seq, actor, action, subject, details FROM custody WHERE seq = ?').get(seq) as
    ApprovalEntry | undefined;
  if (!entry) return [...problems, `custody entry ${seq}, which records the approval, is missing`];
  const details = parseDetails(entry.details);
  const statementSha256 = createHash('sha256').update(row.approval_statement, 'utf8').digest('hex');
  if (entry.action !== 'case.approve' || entry.subject !== row.case_id || details.version !== row.version) {
    problems.push(`custody entry ${seq} does not record the approval of this version`);
  } else {
    if (entry.actor !== row.approved_by)
      problems.push(`custody entry ${seq} names ${entry.actor} as approver, the version ${row.approved_by}`);
    if (details.tagManifestSha256 !== row.tag_manifest_sha256)
      problems.push(`custody entry ${seq} approved another tag manifest`);
    if (details.approvalSha256 !== statementSha256)
      problems.push(`the stored approval statement is not the one custody entry ${seq} recorded`);
  }
  if (seq <= row.seal_seq) problems.push(`custody entry ${seq} comes before the seal (entry ${row.seal_seq})`);
  if (row.approved_by === row.sealed_by) problems.push(`${row.approved_by} sealed this version and cannot approve it`);
  const itemIds = snapshotItemIds(row.snapshot);
  if (itemIds === null)
    return [...problems, "the version's frozen case.json cannot be read, so who worked on it cannot be told"];
  const edited = firstAuthoringEntry(db, {
    caseId: row.case_id,
    itemIds,
    upToSeq: row.seal_seq,
    actor: row.approved_by,
  });
  if (edited)
    problems.push(
      `${row.approved_by} worked on this version (entry ${edited.seq}, ${edited.action}) and cannot approve it`,
    );
  return problems;
}

/**
 * The item ids of a frozen `case.json`, read leniently: the package checks judge the snapshot's
 * shape; here only who worked on which item matters. Null when it is not JSON at all.
 */
function snapshotItemIds(text: string): string[] | null {
  try {
    const value: unknown = JSON.parse(text);
    const items = (value as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) return [];
    return items.flatMap((item: unknown) => {
      const id = (item as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : [];
    });
  } catch {
    return null;
  }
}

function parseDetails(text: string | null): Record<string, unknown> {
  if (text === null) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
