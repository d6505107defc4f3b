import { z } from 'zod';

/**
 * What guards the custody chain beyond its own hashes: problems found between the chain head file
 * and the database, signed checkpoints of the head, and what `check` reports. Kept apart from
 * `schemas.ts`, which builds on these (this file imports nothing of it).
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');

export const CustodyProblemKind = z.enum([
  /** The head file names entries the database no longer has: the newest entries were removed. */
  'entriesRemoved',
  /** The head file names an entry whose hash differs: entries were replaced (rewritten). */
  'entriesReplaced',
  /** The head file is gone while the chain has entries. */
  'headMissing',
  /** The head file cannot be read as a head. */
  'headUnreadable',
  /**
   * A note, not an error: the head is behind the database and the newer entries chain from it,
   * as a crash between a commit and the head write leaves it (or entries added outside the engine).
   */
  'headBehind',
]);
export type CustodyProblemKind = z.infer<typeof CustodyProblemKind>;

export const CustodyProblem = z.object({
  id: z.number().int().positive(),
  kind: CustodyProblemKind,
  severity: z.enum(['problem', 'note']),
  detectedAt: z.string(),
  /** What the head (file or this engine's memory of it) said: seq and hash, when it could be read. */
  headSeq: z.number().int().nonnegative().nullable(),
  headHash: z.string().nullable(),
  /** The database's newest entry when the problem was found. */
  dbSeq: z.number().int().nonnegative(),
  /** The entries concerned: removed, replaced, or (for a note) written after the head. */
  firstSeq: z.number().int().positive().nullable(),
  lastSeq: z.number().int().positive().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type CustodyProblem = z.infer<typeof CustodyProblem>;

/** The statement a checkpoint signs, as canonical JSON. */
export const CheckpointStatement = z.object({
  type: z.literal('evidence-station/custody-checkpoint'),
  version: z.literal(1),
  stationId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  hash: Hex64,
  at: z.string(),
  keyFingerprint: z.string().min(1),
});
export type CheckpointStatement = z.infer<typeof CheckpointStatement>;

/** A signed checkpoint as exported: the exact signed text, its Ed25519 signature (base64) and why it was made. */
export const SignedCheckpoint = z.object({
  statement: CheckpointStatement,
  statementText: z.string(),
  signature: z.string(),
  reason: z.string(),
});
export type SignedCheckpoint = z.infer<typeof SignedCheckpoint>;

export const CheckpointVerdict = z.object({
  count: z.number().int().nonnegative(),
  verified: z.number().int().nonnegative(),
  /** The newest checkpoint that verified: the chain up to it is signed. */
  newestSeq: z.number().int().nonnegative().nullable(),
  /** False when no station key was at hand to check signatures with. */
  keyAvailable: z.boolean(),
  failures: z.array(z.object({ seq: z.number().int().nonnegative(), problem: z.string() })),
});
export type CheckpointVerdict = z.infer<typeof CheckpointVerdict>;

export const CheckProblemKind = z.enum([
  'missing',
  'sizeMismatch',
  'writable',
  'hashMismatch',
  'orphan',
  'tempFile',
  'unreadable',
  /** An item whose creating custody entry is missing or about something else. */
  'itemWithoutEntry',
  /** An entry that created an item (`import`, `clip.create`, `still.create`) whose item is gone. */
  'entryWithoutItem',
  /** A case membership (added or removed) whose custody entry is missing or about something else. */
  'membershipWithoutEntry',
  /** A file or folder of the data directory that others than the station's OS user may open. */
  'looseMode',
  /** Moved out of the store by recovery; listed until an admin resolves it (`check --resolve-quarantine`). */
  'quarantined',
  /** A sealed version's package folder in the store is missing, or its tag manifest is not the one sealed. */
  'package',
  /** Something that was not a socket at the engine socket's name, moved aside by the engine (`path`). */
  'movedAside',
  /** The quarantine table and the `quarantine/` folder disagree: a row without its file, or a file without a row. */
  'quarantineMismatch',
  /**
   * The station key's files are missing, open to others or disagree with each other or with the
   * `key.create` entry (`path`: the file, relative to the data directory).
   */
  'key',
  /** A `trusted_keys` row that no verifying `key.import` entry of the same fingerprint backs (`seq`: the row's entry). */
  'trustedKey',
  /** A version marked approved whose `case.approve` entry is missing, disagrees, or names an approver the four-eyes rule refuses (`seq`: the entry it names). */
  'approval',
]);
export type CheckProblemKind = z.infer<typeof CheckProblemKind>;

export const CheckProblem = z.object({
  kind: CheckProblemKind,
  sha256: z.string().nullable(),
  itemId: z.string().nullable(),
  /** The custody entry concerned, when there is one. */
  seq: z.number().int().nullable(),
  /** For `looseMode`, `movedAside`, `quarantineMismatch`: the file, relative to the data directory. */
  path: z.string().nullable(),
  detail: z.string(),
});
export type CheckProblem = z.infer<typeof CheckProblem>;

export const ChainVerdict = z.object({
  ok: z.boolean(),
  entries: z.number().int().nonnegative(),
  /** The first entry found broken (the first missing one, for removed entries). */
  firstBroken: z.number().int().positive().nullable(),
  /** The first problem, in English, for a one-line report. */
  problem: z.string().nullable(),
  /** Problems recorded between the head file and the database, kept from when they were found. */
  headProblems: z.array(CustodyProblem).optional(),
  /** Entries that created an item whose item is gone (seq and the item's id). */
  missingItems: z.array(z.object({ seq: z.number().int().positive(), itemId: z.string() })).optional(),
  checkpoints: CheckpointVerdict.optional(),
});
export type ChainVerdict = z.infer<typeof ChainVerdict>;

export const CheckReport = z.object({
  ok: z.boolean(),
  items: z.number().int().nonnegative(),
  storedFiles: z.number().int().nonnegative(),
  rehashed: z.number().int().nonnegative(),
  chain: ChainVerdict,
  problems: z.array(CheckProblem),
});
export type CheckReport = z.infer<typeof CheckReport>;
