import { AppError } from '../../shared/errors';
import type { ReadableDB } from '../db/database';
import { keyFingerprint } from '../keys/fingerprint';
import { readEnrolment, type Enrolment } from './enrolmentRepo';

interface EnrolEntry {
  action: string;
  details: string | null;
}

/**
 * What is wrong with the stored enrolment, judged from its `sync.enrol` custody entry: the server
 * address and key the entry recorded, and a pinned key that is the key it names. Someone holding
 * the database file can point the row at a server of their own (its address and key), and that
 * server can answer the station's signed requests with receipts of its own; the entry, inside the
 * signed chain, cannot be moved the same way.
 */
export function enrolmentProblems(db: ReadableDB, enrolment: Enrolment): string[] {
  const row = db.prepare('SELECT custody_seq AS seq FROM sync_enrolment WHERE id = 1').get() as
    { seq: number } | undefined;
  const seq = row?.seq ?? null;
  const entry =
    seq === null
      ? undefined
      : (db.prepare('SELECT action, details FROM custody WHERE seq = ?').get(seq) as EnrolEntry | undefined);
  if (!entry || entry.action !== 'sync.enrol') return [`custody entry ${seq ?? '?'} does not record this enrolment`];
  const details = parseDetails(entry.details);
  const problems: string[] = [];
  if (details.serverUrl !== enrolment.serverUrl)
    problems.push(`custody entry ${seq} enrolled with ${String(details.serverUrl)}, not ${enrolment.serverUrl}`);
  if (details.serverKeyFingerprint !== enrolment.serverKeyFingerprint)
    problems.push(`custody entry ${seq} pinned server key ${String(details.serverKeyFingerprint)}`);
  let pinned: string | null;
  try {
    pinned = keyFingerprint(enrolment.serverKeyPem);
  } catch {
    pinned = null;
  }
  if (pinned !== enrolment.serverKeyFingerprint)
    problems.push('the pinned server key is not the key its fingerprint names');
  return problems;
}

/**
 * The enrolment to sync with and verify receipts against, or null when not enrolled; refused
 * (`sync.enrolmentNotOnRecord`) when the stored row is not what the custody log recorded.
 */
export function readEnrolmentOnRecord(db: ReadableDB): Enrolment | null {
  const enrolment = readEnrolment(db);
  if (!enrolment) return null;
  const problems = enrolmentProblems(db, enrolment);
  if (problems.length > 0)
    throw new AppError('sync.enrolmentNotOnRecord', { url: enrolment.serverUrl, detail: problems.join('; ') });
  return enrolment;
}

function parseDetails(text: string | null): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? 'null');
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
