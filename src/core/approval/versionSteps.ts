import { createHash } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { CaseVersion, CaseVersionState } from '../../shared/sealSchemas';
import type { Services } from '../api/services';
import { findCase } from '../cases/casesRepo';
import { inTransaction, type ReadableDB } from '../db/database';
import { getCaseVersionRow, rowToCaseVersion, type CaseVersionRow } from '../seal/caseVersionsRepo';
import { startNextDraft } from '../seal/reopenVersion';
import { approvalProblems } from './approvalOnRecord';
import type { ApprovalKey } from './approvalSignature';
import { stationTimestamp } from '../util/time';

/**
 * The review steps of a sealed version (migration 90), each one custody entry and one row update
 * in one transaction (the caller's, when it has one open):
 *
 *   sealed → approved (`case.approve`) → queued (`case.queue`) → synced (`case.sync`)
 *                                                              → refused (`case.syncRefused`, final)
 *   sealed → rejected (`case.reject`; the case reopens as the next draft version)
 *
 * Who may take the approve and reject steps is `reviewRules.ts`'s question; these functions only
 * refuse a step from the wrong state (`approval.wrongState`), which the table's triggers refuse
 * too. The sync worker (outbox) calls `markVersionQueued`, `markVersionSynced` and
 * `markVersionRefused`; it emits `cases.changed` after its transaction commits.
 */

export type StepServices = Pick<Services, 'db' | 'record' | 'now'>;

export interface VersionRef {
  caseId: string;
  version: number;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The version's row in the state a step starts from; `case.versionNotFound` or `approval.wrongState` otherwise. */
function versionIn(s: StepServices, ref: VersionRef, from: CaseVersionState): CaseVersionRow {
  const row = getCaseVersionRow(s.db, ref.caseId, ref.version);
  if (!row) {
    const c = findCase(s.db, ref.caseId);
    throw new AppError('case.versionNotFound', { number: c?.number ?? ref.caseId, version: ref.version });
  }
  if (row.state !== from)
    throw new AppError('approval.wrongState', { number: row.number, version: row.version, state: row.state });
  return row;
}

/** A sealed version still waiting for review: not reopened past (`approval.superseded`). */
function versionToReview(s: StepServices, ref: VersionRef): CaseVersionRow {
  const row = versionIn(s, ref, 'sealed');
  if (row.reopen_seq !== null)
    throw new AppError('approval.superseded', { number: row.number, version: row.version, next: row.version + 1 });
  return row;
}

/** Runs one state-changing UPDATE that must touch exactly the version's row. */
function updateOne(s: StepServices, sql: string, params: Record<string, unknown>): void {
  const result = s.db.prepare(sql).run(params);
  if (result.changes !== 1) throw new Error(`a review step changed ${result.changes} rows`);
}

function reread(s: StepServices, ref: VersionRef): CaseVersion {
  const row = getCaseVersionRow(s.db, ref.caseId, ref.version);
  if (!row) throw new Error(`version ${ref.version} of case ${ref.caseId} vanished`);
  return rowToCaseVersion(row);
}

/**
 * sealed → approved. `statementText` is the signed `seal/approval.json` (canonical JSON) and
 * `signature` its raw Ed25519 signature, base64; the custody entry names the statement's SHA-256,
 * so the chain vouches for the exact bytes exports carry.
 */
export function markVersionApproved(
  s: StepServices,
  r: VersionRef & { actor: string; approvedAt: string; statementText: string; signature: string },
): CaseVersion {
  return inTransaction(s.db, () => {
    const row = versionToReview(s, r);
    const entry = s.record({
      actor: r.actor,
      action: 'case.approve',
      subject: row.case_id,
      sha256: null,
      details: {
        number: row.number,
        version: row.version,
        tagManifestSha256: row.tag_manifest_sha256,
        approvalSha256: sha256Hex(r.statementText),
      },
    });
    updateOne(
      s,
      `UPDATE case_versions SET state = 'approved', approved_by = @actor, approved_at = @at, approval_seq = @seq,
         approval_statement = @statement, approval_signature = @signature
       WHERE case_id = @caseId AND version = @version AND state = 'sealed'`,
      {
        actor: r.actor,
        at: r.approvedAt,
        seq: entry.seq,
        statement: r.statementText,
        signature: r.signature,
        caseId: row.case_id,
        version: row.version,
      },
    );
    return reread(s, r);
  });
}

/**
 * sealed → rejected, with the reason; the same entry reopens the case as version n + 1 (the
 * reopen columns name it), so the person who sealed it can correct it and seal again.
 */
export function markVersionRejected(s: StepServices, r: VersionRef & { actor: string; reason: string }): CaseVersion {
  return inTransaction(s.db, () => {
    const row = versionToReview(s, r);
    const at = stationTimestamp(s.now());
    const entry = s.record({
      actor: r.actor,
      action: 'case.reject',
      subject: row.case_id,
      sha256: null,
      details: {
        number: row.number,
        version: row.version,
        tagManifestSha256: row.tag_manifest_sha256,
        reason: r.reason,
        reopenedVersion: row.version,
        newVersion: row.version + 1,
      },
    });
    // One update: a rejected row must name its reopen (the table's CHECK), with the same entry.
    updateOne(
      s,
      `UPDATE case_versions SET state = 'rejected', rejected_by = @actor, rejected_at = @at, reject_reason = @reason,
         reject_seq = @seq, reopened_by = @actor, reopened_at = @at, reopen_reason = @reason, reopen_seq = @seq
       WHERE case_id = @caseId AND version = @version AND state = 'sealed' AND reopen_seq IS NULL`,
      { actor: r.actor, at, reason: r.reason, seq: entry.seq, caseId: row.case_id, version: row.version },
    );
    startNextDraft(s.db, { caseId: row.case_id, version: row.version, at });
    return reread(s, r);
  });
}

/**
 * One step of the sync worker on a version: its custody entry (naming the version and its tag
 * manifest) and the state change, in one transaction. `set` is the step's own columns; the
 * UPDATE matches only a version still in `from`, so a step taken twice fails instead of
 * recording twice.
 */
function syncStep(
  s: StepServices,
  r: VersionRef & { actor: string; details?: Record<string, unknown> },
  step: { from: CaseVersionState; action: string; set: string; params?: Record<string, unknown> },
): CaseVersion {
  return inTransaction(s.db, () => {
    const row = versionIn(s, r, step.from);
    const at = stationTimestamp(s.now());
    const entry = s.record({
      actor: r.actor,
      action: step.action,
      subject: row.case_id,
      sha256: null,
      details: {
        ...r.details,
        number: row.number,
        version: row.version,
        tagManifestSha256: row.tag_manifest_sha256,
        ...step.params,
      },
    });
    updateOne(
      s,
      `UPDATE case_versions SET ${step.set}
       WHERE case_id = @caseId AND version = @version AND state = @from`,
      {
        ...step.params,
        actor: r.actor,
        at,
        seq: entry.seq,
        from: step.from,
        caseId: row.case_id,
        version: row.version,
      },
    );
    return reread(s, r);
  });
}

/** approved → queued: the sync worker takes the version on (at enrolment, or when approved on an enrolled station). */
export function markVersionQueued(
  s: StepServices,
  r: VersionRef & { actor: string; approvalKey: ApprovalKey | null; details?: Record<string, unknown> },
): CaseVersion {
  // Only an approval the custody log backs, signed by the station key, lets a version leave the station: a row edited in the
  // database file is refused here, whatever the state column says.
  // (A version in another state is refused by the step itself, as approval.wrongState.)
  const row = getCaseVersionRow(s.db, r.caseId, r.version);
  const problems = row?.state === 'approved' ? approvalProblems(s.db, row, r.approvalKey) : [];
  if (row && problems.length > 0)
    throw new AppError('approval.notOnRecord', {
      number: row.number,
      version: row.version,
      detail: problems.join('; '),
    });
  return syncStep(s, r, {
    from: 'approved',
    action: 'case.queue',
    set: `state = 'queued', queued_by = @actor, queued_at = @at, queue_seq = @seq`,
  });
}

/** queued → synced: the central server's receipt checked and stored (`details`: what the receipt says, e.g. its seq). */
export function markVersionSynced(
  s: StepServices,
  r: VersionRef & { actor: string; details?: Record<string, unknown> },
): CaseVersion {
  return syncStep(s, r, {
    from: 'queued',
    action: 'case.sync',
    set: `state = 'synced', synced_at = @at, sync_seq = @seq`,
  });
}

/** queued → refused, final: the central server refused the version, for `reason` (its words). No retry follows. */
export function markVersionRefused(
  s: StepServices,
  r: VersionRef & { actor: string; reason: string; details?: Record<string, unknown> },
): CaseVersion {
  return syncStep(s, r, {
    from: 'queued',
    action: 'case.syncRefused',
    set: `state = 'refused', refused_at = @at, refuse_reason = @reason, refuse_seq = @seq`,
    params: { reason: r.reason },
  });
}

/** Every sealed version in `state`, oldest seal first (e.g. the approved ones to queue at enrolment). */
export function listVersionsInState(db: ReadableDB, state: CaseVersionState): CaseVersion[] {
  const rows = db
    .prepare(
      `SELECT v.*, c.number FROM case_versions v JOIN cases c ON c.id = v.case_id
       WHERE v.state = ? ORDER BY v.seal_seq`,
    )
    .all(state) as CaseVersionRow[];
  return rows.map(rowToCaseVersion);
}

/**
 * The signed approval statement of an approved (queued, synced, refused) version, as exports
 * carry it; null before approval. The row is a copy anyone with sqlite3 could edit: the statement
 * must hash to what its `case.approve` entry (hash-chained, under signed checkpoints) names, or no
 * copy may carry it (`export.failed`).
 */
export function approvalStatementOf(
  db: ReadableDB,
  ref: VersionRef,
): { statementText: string; signature: string } | null {
  const row = getCaseVersionRow(db, ref.caseId, ref.version);
  if (!row?.approval_statement || !row.approval_signature || row.approval_seq === null) return null;
  const entry = db
    .prepare(`SELECT details FROM custody WHERE seq = ? AND action = 'case.approve' AND subject = ?`)
    .get(row.approval_seq, row.case_id) as { details: string } | undefined;
  const named = entry ? (JSON.parse(entry.details) as { approvalSha256?: unknown }).approvalSha256 : undefined;
  if (named !== sha256Hex(row.approval_statement))
    throw new AppError('export.failed', {
      reason: `the approval of version ${row.version} does not match its custody entry ${row.approval_seq}`,
    });
  return { statementText: row.approval_statement, signature: row.approval_signature };
}
