import type { ReadableDB } from '../db/database';
import type {
  SyncFileStatus,
  SyncProblem,
  SyncProblemCode,
  SyncStatus,
  SyncSummary,
  SyncVersionStatus,
} from '../../shared/syncSchemas';
import { stationTimestamp } from '../util/time';
import { readEnrolment, readSyncSettings } from './enrolmentRepo';
import type { LiveProgress } from './liveProgress';
import { filesOf, getReceipt, listOutbox, receiptOfVersion, type OutboxFile, type VersionKey } from './outboxRepo';
import { parseReceiptText } from '../package/receiptCheck';
import { isInsideWindow } from './syncWindow';

/**
 * The outbox as the Sync panel and `sync --json` show it: SQLite's record of each version and
 * file, with the live bytes and speed of the file being sent now.
 */

function problemOf(code: SyncProblemCode | null, detail: string | null): SyncProblem | null {
  return code ? { code, detail: detail ?? '' } : null;
}

function whenOf(ms: number, now: Date): string | null {
  return ms > now.getTime() ? stationTimestamp(new Date(ms)) : null;
}

function fileStatus(f: OutboxFile, key: VersionKey, live: LiveProgress, now: Date): SyncFileStatus {
  const progress = f.done === null ? live.get(key.caseId, key.version, f.path, f.size) : null;
  const state: SyncFileStatus['state'] =
    f.done !== null ? 'done' : progress ? 'uploading' : f.lastErrorCode ? 'waiting' : 'pending';
  return {
    path: f.path,
    sha256: f.sha256,
    size: f.size,
    state,
    done: f.done,
    bytesDone: f.done !== null ? f.size : Math.min(f.size, progress?.bytesDone ?? f.offset),
    bytesPerSec: progress?.bytesPerSec ?? null,
    secondsLeft: progress?.secondsLeft ?? null,
    attempts: f.attempts,
    nextAttemptAt: f.done === null ? whenOf(f.nextAttemptMs, now) : null,
    lastProblem: f.done === null ? problemOf(f.lastErrorCode, f.lastErrorDetail) : null,
  };
}

/**
 * A stored receipt never changes (its row is written once, checked against the pinned key), so
 * its JSON is parsed once per station, not at every status the Sync panel asks for.
 */
const receiptManifests = new WeakMap<ReadableDB, Map<number, string | null>>();

function receiptManifestOf(db: ReadableDB, receiptId: number, receiptJson: string): string | null {
  let known = receiptManifests.get(db);
  if (!known) receiptManifests.set(db, (known = new Map()));
  if (!known.has(receiptId)) known.set(receiptId, parseReceiptText(receiptJson)?.tagManifestSha256 ?? null);
  return known.get(receiptId) ?? null;
}

export function buildSyncStatus(
  db: ReadableDB,
  opts: { live: LiveProgress; running: boolean; active: VersionKey | null; now: Date },
): SyncStatus {
  const settings = readSyncSettings(db);
  const enrolment = readEnrolment(db);
  const versions = listOutbox(db).map((v): SyncVersionStatus => {
    const key = { caseId: v.caseId, version: v.version };
    const rows = filesOf(db, key);
    const files = rows.map((f) => fileStatus(f, key, opts.live, opts.now));
    const isActive = opts.active?.caseId === v.caseId && opts.active.version === v.version;
    const state: SyncVersionStatus['state'] =
      v.state !== 'queued' ? v.state : isActive ? 'uploading' : v.lastErrorCode ? 'waiting' : 'pending';
    const stored = v.receiptId === null ? null : getReceipt(db, v.receiptId);
    const tagManifestSha256 = stored ? receiptManifestOf(db, stored.id, stored.receiptJson) : null;
    return {
      caseId: v.caseId,
      caseNumber: v.caseNumber,
      version: v.version,
      state,
      queuedAt: v.queuedAt,
      attempts: v.attempts,
      nextAttemptAt: v.state === 'queued' ? whenOf(v.nextAttemptMs, opts.now) : null,
      lastProblem: v.state === 'queued' ? problemOf(v.lastErrorCode, v.lastErrorDetail) : null,
      refusedReason: v.refusedReason,
      receipt:
        stored && tagManifestSha256
          ? {
              seq: stored.seq,
              receivedAt: stored.receivedAt,
              serverKeyFingerprint: stored.serverKeyFingerprint,
              tagManifestSha256,
            }
          : null,
      filesSent: files.filter((f) => f.done === 'uploaded').length,
      bytesSent: rows.reduce((a, f) => a + f.bytesSent, 0),
      bytesTotal: files.reduce((a, f) => a + f.size, 0),
      files,
    };
  });
  return {
    enrolment: enrolment
      ? {
          serverUrl: enrolment.serverUrl,
          serverKeyFingerprint: enrolment.serverKeyFingerprint,
          enrolledAt: enrolment.enrolledAt,
          enrolledBy: enrolment.enrolledBy,
        }
      : null,
    settings,
    running: opts.running,
    outsideWindow: !isInsideWindow(opts.now, settings.window),
    versions,
  };
}

/** `sync --json`: one line per queued version. */
export function summarize(status: SyncStatus, db: ReadableDB): SyncSummary[] {
  return status.versions.map((v) => {
    const stored = v.receipt ? receiptOfVersion(db, { caseId: v.caseId, version: v.version }) : null;
    const parsed = stored ? parseReceiptText(stored.receiptJson) : null;
    return {
      case: v.caseNumber,
      version: v.version,
      state: v.state,
      receipt:
        v.receipt && parsed
          ? {
              seq: v.receipt.seq,
              receivedAt: v.receipt.receivedAt,
              serverKeyFingerprint: v.receipt.serverKeyFingerprint,
              tagManifestSha256: v.receipt.tagManifestSha256,
              prevHash: parsed.prevHash,
            }
          : null,
      filesSent: v.filesSent,
      bytesSent: v.bytesSent,
      refusedReason: v.refusedReason,
      lastProblem: v.lastProblem,
    };
  });
}
