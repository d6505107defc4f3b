import { z } from 'zod';
import { SYNC_ERROR_CODES } from './syncProtocol';

/**
 * What the station's sync shows its users (the Sync panel, `sync --json`): the enrolment, the
 * settings, and each queued version and file with its state. The wire to the server is
 * `syncProtocol.ts`; these are the station's own contract types.
 */

/** `HH:MM`, the station's local time. */
export const ClockTime = z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'a time HH:MM (00:00 to 23:59)');

export const SyncWindow = z.object({ start: ClockTime, end: ClockTime }).strict();
export type SyncWindow = z.infer<typeof SyncWindow>;

export const SyncSettings = z
  .object({
    /** Upload limit in bytes per second; null: as fast as the network allows. */
    bandwidthBytesPerSec: z.number().int().min(1024).max(10_000_000_000).nullable(),
    /** Uploads run only inside this daily window (an end before the start runs past midnight); null: any time. */
    window: SyncWindow.nullable(),
  })
  .strict();
export type SyncSettings = z.infer<typeof SyncSettings>;

/**
 * Why a version or file waits or was refused: a server code (`SYNC_ERROR_CODES`), or what the
 * station itself saw. Each has plain words in both languages (`SYNC_PROBLEM_MESSAGES`).
 */
export const SYNC_PROBLEM_CODES = [
  ...SYNC_ERROR_CODES,
  /** The server could not be reached, or the connection broke. */
  'network',
  /** The server answered with an error of its own (5xx) or an answer the station cannot read. */
  'server',
  /** The receipt did not verify against the pinned server key, or does not name what was sent. */
  'receipt.invalid',
  /** A file of the sealed package could not be read on this station. */
  'package.unreadable',
  /** The station key could not sign the requests (its passphrase is not set, or the keychain refused). */
  'stationKey',
  /** The station is not enrolled with a server. */
  'notEnrolled',
  /** Outside the daily sync window. */
  'window',
] as const;
export const SyncProblemCode = z.enum(SYNC_PROBLEM_CODES);
export type SyncProblemCode = z.infer<typeof SyncProblemCode>;

export const SyncProblem = z.object({ code: SyncProblemCode, detail: z.string() });
export type SyncProblem = z.infer<typeof SyncProblem>;

export const SyncFileState = z.enum(['pending', 'uploading', 'waiting', 'done']);
export const SyncVersionState = z.enum(['pending', 'uploading', 'waiting', 'synced', 'refused']);
export type SyncVersionState = z.infer<typeof SyncVersionState>;

export const SyncFileStatus = z.object({
  path: z.string(),
  sha256: z.string(),
  size: z.number().int().nonnegative(),
  state: SyncFileState,
  /** `held`: the server already had these bytes and nothing was sent; `uploaded`: sent and checked. */
  done: z.enum(['held', 'uploaded']).nullable(),
  /** Bytes the server has confirmed (or, while uploading, sent so far). */
  bytesDone: z.number().int().nonnegative(),
  bytesPerSec: z.number().nonnegative().nullable(),
  secondsLeft: z.number().nonnegative().nullable(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  lastProblem: SyncProblem.nullable(),
});
export type SyncFileStatus = z.infer<typeof SyncFileStatus>;

export const SyncReceiptInfo = z.object({
  seq: z.number().int().min(1),
  receivedAt: z.string(),
  serverKeyFingerprint: z.string(),
  tagManifestSha256: z.string(),
});
export type SyncReceiptInfo = z.infer<typeof SyncReceiptInfo>;

export const SyncVersionStatus = z.object({
  caseId: z.string(),
  caseNumber: z.string(),
  version: z.number().int().min(1),
  state: SyncVersionState,
  queuedAt: z.string(),
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  lastProblem: SyncProblem.nullable(),
  /** The server's reason, when it refused the package (final). */
  refusedReason: z.string().nullable(),
  receipt: SyncReceiptInfo.nullable(),
  filesSent: z.number().int().nonnegative(),
  bytesSent: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  files: z.array(SyncFileStatus),
});
export type SyncVersionStatus = z.infer<typeof SyncVersionStatus>;

export const SyncEnrolment = z.object({
  serverUrl: z.string(),
  serverKeyFingerprint: z.string(),
  enrolledAt: z.string(),
  enrolledBy: z.string(),
});
export type SyncEnrolment = z.infer<typeof SyncEnrolment>;

export const SyncStatus = z.object({
  enrolment: SyncEnrolment.nullable(),
  settings: SyncSettings,
  /** A pass is running now. */
  running: z.boolean(),
  /** Outside the daily window now (uploads wait for it). */
  outsideWindow: z.boolean(),
  versions: z.array(SyncVersionStatus),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** One line of `sync --json`: a queued version and what became of it. */
export const SyncSummary = z.object({
  case: z.string(),
  version: z.number().int().min(1),
  state: SyncVersionState,
  receipt: z
    .object({
      seq: z.number().int().min(1),
      receivedAt: z.string(),
      serverKeyFingerprint: z.string(),
      tagManifestSha256: z.string(),
      prevHash: z.string(),
    })
    .nullable(),
  filesSent: z.number().int().nonnegative(),
  bytesSent: z.number().int().nonnegative(),
  refusedReason: z.string().nullable(),
  lastProblem: SyncProblem.nullable(),
});
export type SyncSummary = z.infer<typeof SyncSummary>;

function hasCredentials(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false; // not an address at all: the pattern above says so
  }
}

export const EnrolInput = z
  .object({
    serverUrl: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .refine((u) => /^https?:\/\/[^\s]+$/i.test(u), 'an http:// or https:// address')
      // The address is kept in the enrolment and its custody entry for good, and shown in every
      // sync message: a password typed into it would be too (and fetch refuses such an address).
      .refine((u) => !hasCredentials(u), 'an address without a user name or password'),
    code: z.string().trim().min(1).max(200),
  })
  .strict();
