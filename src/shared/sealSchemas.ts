import { z } from 'zod';
import { CustodyEntry, Gps, Id, IsoInstant, MediaInfo, RecordedAtSource, Sha256 } from './schemas';
import { CaseParty, CaseVersionState, JobId } from './reviewSchemas';

/**
 * Sealed case versions, the court package (a signed BagIt bag) and its verification. The package
 * format is shared by the station, the command line and the central server: `case.json` is parsed
 * with `CaseJson` wherever it is read.
 */

/** Lowercase hex SHA-256 of a public key's SPKI DER encoding (what `openssl pkey -pubin -outform DER | sha256sum` prints). */
export const KeyFingerprint = Sha256;

export const StationKeyInfo = z.object({
  /** SPKI PEM, as in a package's `seal/station.pub.pem`. */
  publicKeyPem: z.string(),
  fingerprint: KeyFingerprint,
  /** The fingerprint in groups of four for reading aloud: `1a2b 3c4d …`. */
  fingerprintGrouped: z.string(),
  /** How the private key is protected on this host: `safeStorage`, `passphrase` or `fileMode` (0600 only). */
  protection: z.enum(['safeStorage', 'passphrase', 'fileMode']),
});
export type StationKeyInfo = z.infer<typeof StationKeyInfo>;

/** A public key of another station of the office, imported by an admin so its packages are recognised. */
export const TrustedKey = z.object({
  fingerprint: KeyFingerprint,
  label: z.string(),
  publicKeyPem: z.string(),
  importedBy: z.string(),
  importedAt: IsoInstant,
});
export type TrustedKey = z.infer<typeof TrustedKey>;

export { CaseVersionState };

/** One frozen version of a case. Its package never changes once sealed. */
export const CaseVersion = z.object({
  caseId: Id,
  caseNumber: z.string(),
  version: z.number().int().positive(),
  state: CaseVersionState,
  sealedBy: z.string(),
  sealedAt: IsoInstant,
  /** SHA-256 of the package's `tagmanifest-sha256.txt`: the one value the signature and the custody entry name. */
  tagManifestSha256: Sha256,
  /** `<case number>-v<version>`, the package's folder name. */
  packageName: z.string(),
  itemCount: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  /** Set once the case was reopened from this version (the next version is then a draft). */
  reopenedBy: z.string().nullable(),
  reopenedAt: IsoInstant.nullable(),
  reopenReason: z.string().nullable(),
  /** The review (migration 90): each step's who, when and why, null until it happened. */
  approvedBy: z.string().nullable(),
  approvedAt: IsoInstant.nullable(),
  rejectedBy: z.string().nullable(),
  rejectedAt: IsoInstant.nullable(),
  rejectReason: z.string().nullable(),
  queuedAt: IsoInstant.nullable(),
  syncedAt: IsoInstant.nullable(),
  refusedAt: IsoInstant.nullable(),
  /** The central server's reason for refusing the version (final). */
  refuseReason: z.string().nullable(),
});
export type CaseVersion = z.infer<typeof CaseVersion>;

/** `cases.approve` / `cases.reject`: the version, the latest sealed one when absent. */
export const VersionReview = z.object({ caseId: Id, version: z.number().int().positive().optional() }).strict();
export const VersionRejection = VersionReview.extend({ reason: z.string().trim().min(1).max(1000) }).strict();

const Change = <T extends z.ZodType>(value: T) => z.object({ before: value, after: value });

export const DiffItem = z.object({
  id: Id,
  origin: z.enum(['original', 'clip', 'still']),
  sha256: Sha256,
  originalName: z.string(),
});
export type DiffItem = z.infer<typeof DiffItem>;

export const DiffTag = z.object({
  id: Id,
  itemId: Id,
  itemName: z.string(),
  code: z.string(),
  label: z.object({ zh: z.string(), en: z.string() }),
  taxonomyVersion: z.number().int().positive(),
  fromSec: z.number().nullable(),
  toSec: z.number().nullable(),
  note: z.string(),
  updatedBy: z.string(),
});
export type DiffTag = z.infer<typeof DiffTag>;

/**
 * What changed from the previous sealed version to this one, computed from the two frozen
 * `case.json` snapshots. For version 1 the previous version is empty: everything is added.
 * A field is null when it did not change.
 */
export const VersionDiff = z.object({
  caseId: Id,
  caseNumber: z.string(),
  version: z.number().int().positive(),
  previousVersion: z.number().int().positive().nullable(),
  itemsAdded: z.array(DiffItem),
  itemsRemoved: z.array(DiffItem),
  tagsAdded: z.array(DiffTag),
  tagsRemoved: z.array(DiffTag),
  tagsChanged: z.array(
    z.object({
      before: DiffTag,
      after: DiffTag,
      fields: z.array(z.enum(['code', 'taxonomyVersion', 'fromSec', 'toSec', 'note'])),
    }),
  ),
  fields: z.object({
    title: Change(z.string()).nullable(),
    place: Change(z.string()).nullable(),
    occurredAt: Change(IsoInstant.nullable()).nullable(),
    parties: Change(z.array(CaseParty)).nullable(),
    notes: Change(z.string()).nullable(),
  }),
});
export type VersionDiff = z.infer<typeof VersionDiff>;

/**
 * The approval an export of an approved version carries as `seal/approval.json` (FORMAT.md):
 * exactly these bytes, canonical JSON, signed by the station key when the version was approved.
 */
export const ApprovalStatement = z
  .object({
    type: z.literal('evidence-station/approval'),
    version: z.literal(1),
    caseId: Id,
    caseNumber: z.string(),
    caseVersion: z.number().int().positive(),
    /** The sealed version's tag-manifest hash: what the approval is of. */
    tagManifestSha256: Sha256,
    sealedBy: z.string(),
    approvedBy: z.string(),
    /** Station time with its offset. */
    approvedAt: IsoInstant,
    stationId: z.string(),
    keyFingerprint: z.string(),
  })
  .strict();
export type ApprovalStatement = z.infer<typeof ApprovalStatement>;

/** The approval an exported copy carries, as read; `verified`: signed by the package's key, naming this very package. */
export const CarriedApproval = z.object({
  by: z.string(),
  at: z.string(),
  verified: z.boolean(),
});
export type CarriedApproval = z.infer<typeof CarriedApproval>;

/**
 * A central server's receipt an exported copy carries (`seal/receipt-<seq>.json`), as read;
 * `verified`: signed by the key in `seal/server.pub.pem`, naming this very package.
 */
export const CarriedReceipt = z.object({
  seq: z.number().int().min(1),
  receivedAt: z.string(),
  serverKeyFingerprint: z.string(),
  verified: z.boolean(),
});
export type CarriedReceipt = z.infer<typeof CarriedReceipt>;

export const SealResult = z.object({
  /** The case number. */
  case: z.string(),
  version: z.number().int().positive(),
  tagManifestSha256: Sha256,
  /** Absolute path of the sealed package in the station's store (read-only). */
  path: z.string(),
});
export type SealResult = z.infer<typeof SealResult>;

export const ExportRequest = z
  .object({
    caseId: Id,
    /** The latest sealed version when absent. */
    version: z.number().int().positive().optional(),
    /** Absolute path of a folder on the target medium; the package is written inside it. */
    to: z.string().min(1).max(4096),
    zip: z.boolean().default(false),
    jobId: JobId,
  })
  .strict();

export const ExportResult = z.object({
  /** The bag folder or the zip written and read back. */
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  verified: z.literal(true),
  case: z.string(),
  version: z.number().int().positive(),
});
export type ExportResult = z.infer<typeof ExportResult>;

export const ExportProgress = z.object({
  jobId: JobId,
  phase: z.enum(['copy', 'verify']),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
  /** Seconds left at the current rate, when it can be told. */
  etaSec: z.number().nonnegative().nullable(),
});
export type ExportProgress = z.infer<typeof ExportProgress>;

export const BagProblemKind = z.enum([
  'missing',
  'extra',
  'changed',
  'manifest',
  'tagManifest',
  'signature',
  'fingerprint',
  'custody',
  'caseJson',
  'format',
  /** The custody checkpoint an export carries under `seal/` (signature, key, agreement with the custody in the package). */
  'checkpoint',
  /** The approval an export carries under `seal/` (signature, key, the package it names). */
  'approval',
  /** A central server's receipt an export carries under `seal/` (its signature by seal/server.pub.pem, the package it names). */
  'receipt',
]);
export type BagProblemKind = z.infer<typeof BagProblemKind>;

export const BagProblem = z.object({
  /** Path relative to the bag (`data/originals/…`), or `''` for the bag as a whole. */
  path: z.string(),
  kind: BagProblemKind,
  detail: z.string(),
});
export type BagProblem = z.infer<typeof BagProblem>;

/** Each check `verify` ran, for the Verify screen; `problems` holds the details of every failure. */
export const VerifyCheck = z.object({
  name: z.enum([
    'format',
    'manifest',
    'completeness',
    'fixity',
    'tagManifest',
    'signature',
    'fingerprint',
    'custody',
    'caseJson',
    'checkpoint',
    'approval',
    'receipt',
  ]),
  ok: z.boolean(),
});

/** The signed custody checkpoint an exported copy carries (`seal/custody-checkpoint.json`), as read. */
export const CarriedCheckpoint = z.object({
  stationId: z.string(),
  seq: z.number().int().nonnegative(),
  hash: z.string(),
  at: z.string(),
  keyFingerprint: z.string(),
  /** Its signature checks against the package's key and it agrees with the package's custody. */
  verified: z.boolean(),
});
export type CarriedCheckpoint = z.infer<typeof CarriedCheckpoint>;
export type VerifyCheck = z.infer<typeof VerifyCheck>;

export const VerifyReport = z.object({
  ok: z.boolean(),
  case: z.string().nullable(),
  version: z.number().int().positive().nullable(),
  fingerprint: z.string().nullable(),
  /** Whether the signing key is this station's own or one an admin imported; false when unknown or not asked. */
  keyKnown: z.boolean(),
  /** `station` (this station's key), `imported`, `expected` (matched --expect-fingerprint) or `unknown`. */
  keyTrust: z.enum(['station', 'imported', 'expected', 'unknown']),
  checks: z.array(VerifyCheck),
  problems: z.array(BagProblem),
  /** Not failures: e.g. an unknown key with no expectation given. */
  warnings: z.array(z.string()),
  payloadFiles: z.number().int().nonnegative(),
  payloadBytes: z.number().int().nonnegative(),
  /** The custody checkpoint the copy carries; null when it carries none (packages exported before checkpoints). */
  checkpoint: CarriedCheckpoint.nullable(),
  /** The supervisor's approval the copy carries (`seal/approval.json`); null when it carries none. */
  approval: CarriedApproval.nullable(),
  /** The central server's receipts the copy carries (`seal/receipt-<seq>.json`); empty when it carries none. */
  receipts: z.array(CarriedReceipt),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

/* ---------- case.json: the machine-readable case inside every package ---------- */

export const PackageDerivation = z.object({
  /** Hash of the item it was cut from. */
  sourceSha256: Sha256,
  mode: z.string(),
  /** Requested range, media seconds; a still has `fromSec` only. */
  fromSec: z.number().nullable(),
  toSec: z.number().nullable(),
  /** The full provenance as the station recorded it (measured range, tool, version, arguments, streams). */
  provenance: z.record(z.string(), z.unknown()),
});
export type PackageDerivation = z.infer<typeof PackageDerivation>;

export const PackageTag = z.object({
  id: Id,
  code: z.string(),
  /** The violation type's names at that taxonomy version. */
  label: z.object({ zh: z.string(), en: z.string() }),
  taxonomyVersion: z.number().int().positive(),
  fromSec: z.number().nullable(),
  toSec: z.number().nullable(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: IsoInstant,
  updatedBy: z.string(),
  updatedAt: IsoInstant,
});
export type PackageTag = z.infer<typeof PackageTag>;

export const PackageItem = z.object({
  id: Id,
  /** `original`, `clip` or `still`. */
  origin: z.enum(['original', 'clip', 'still']),
  sha256: Sha256,
  size: z.number().int().nonnegative(),
  /** The name the file had on the camera or the station (as recorded, any characters). */
  originalName: z.string(),
  /** Where the file is in the bag, e.g. `data/originals/0001_FILE0001.MP4` (safe on every system). */
  bagPath: z.string(),
  media: MediaInfo.passthrough(),
  recordedAt: IsoInstant.nullable(),
  recordedAtSource: RecordedAtSource.nullable(),
  /** The recorded time's history: the value first read and every correction with its reason. */
  timeProvenance: z.record(z.string(), z.unknown()),
  deviceId: z.string().nullable(),
  officerId: z.string().nullable(),
  gps: Gps.nullable(),
  importedAt: IsoInstant,
  importedBy: z.string(),
  derivation: PackageDerivation.nullable(),
  tags: z.array(PackageTag),
  addedToCaseBy: z.string(),
  addedToCaseAt: IsoInstant,
});
export type PackageItem = z.infer<typeof PackageItem>;

export const ChainPoint = z.object({ seq: z.number().int().nonnegative(), hash: Sha256 });
export type ChainPoint = z.infer<typeof ChainPoint>;

export const CaseJson = z.object({
  format: z.literal('evidence-station/case'),
  formatVersion: z.literal(1),
  case: z.object({
    id: Id,
    number: z.string(),
    version: z.number().int().positive(),
    title: z.string(),
    place: z.string(),
    occurredAt: IsoInstant.nullable(),
    parties: z.array(CaseParty),
    notes: z.string(),
    createdBy: z.string(),
    createdAt: IsoInstant,
  }),
  seal: z.object({
    sealedBy: z.string(),
    /** Station time with its offset. */
    sealedAt: IsoInstant,
    stationId: z.string(),
    stationName: z.string(),
    office: z.string(),
    keyFingerprint: KeyFingerprint,
    /** The custody chain's newest entry just before the `case.seal` entry. */
    chainHead: ChainPoint,
    /** Version this one was reopened from, if any. */
    previousVersion: z.number().int().positive().nullable(),
  }),
  items: z.array(PackageItem),
  /** What made the package: the station software and the media tools it used. */
  software: z.object({ name: z.string(), version: z.string(), ffmpeg: z.string().nullable() }),
});
export type CaseJson = z.infer<typeof CaseJson>;

/** One line of `data/custody.jsonl`: the entry exactly as chained, so its hash recomputes on its own. */
export const CustodyLine = CustodyEntry;
export type CustodyLine = z.infer<typeof CustodyLine>;
