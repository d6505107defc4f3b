import { z } from 'zod';

/** Schemas of the data that crosses the contract. No file system path of the store ever appears here. */

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
export const Id = z.string().min(1).max(64);
/** ISO 8601 instant with its offset (`+08:00`) or `Z`. */
export const IsoInstant = z.iso.datetime({ offset: true });

export const Role = z.enum(['reviewer', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const AccountName = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, dot, dash or underscore');
/** The station's shortest password; the screens that take a new one say it before the engine refuses it. */
export const MIN_PASSWORD_LENGTH = 8;
export const Password = z.string().min(MIN_PASSWORD_LENGTH).max(1024);

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

/** An officer's badge number (警号): digits and letters, as the force issues them. */
export const OfficerNumber = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[\p{L}\p{N}-]+$/u, 'letters, digits or dash');

export const Account = z.object({
  name: AccountName,
  displayName: z.string().max(128),
  role: Role,
  createdAt: IsoInstant,
  disabled: z.boolean(),
  /** 警号, shown beside the name in custody entries and reports; null when the account has none. */
  officerNumber: z.string().nullable(),
  /** The account's display language; null follows the station default. */
  locale: Locale.nullable(),
  /** Set by an admin's password reset: the next sign-in must choose a new password. */
  mustChangePassword: z.boolean(),
  /** Too many failed sign-ins or unlocks: refused until an admin lifts the lockout. */
  lockedOut: z.boolean(),
});
export type Account = z.infer<typeof Account>;

export const Session = z.object({
  sessionId: z.string().min(16),
  account: Account,
  lockAfterMinutes: z.number().int().positive(),
});
export type Session = z.infer<typeof Session>;

export const MediaKind = z.enum(['video', 'audio', 'photo', 'other']);
export type MediaKind = z.infer<typeof MediaKind>;

/** `derived`: a clip's or still's time, computed from its source's recorded time plus the offset into it. */
export const RecordedAtSource = z.enum(['container', 'exif', 'filename', 'filesystem', 'correction', 'derived']);
export type RecordedAtSource = z.infer<typeof RecordedAtSource>;

export const Gps = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  alt: z.number().optional(),
});
export type Gps = z.infer<typeof Gps>;

/** What probing found in a file. Absent fields were not present in the file. */
export const MediaInfo = z.object({
  kind: MediaKind,
  container: z.string().optional(),
  mimeType: z.string().optional(),
  durationSec: z.number().nonnegative().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  frameRate: z.number().positive().optional(),
  videoCodec: z.string().optional(),
  audioCodec: z.string().optional(),
  pixelFormat: z.string().optional(),
  rotation: z.number().int().optional(),
  bitRate: z.number().nonnegative().optional(),
  recordedAt: IsoInstant.optional(),
  recordedAtSource: RecordedAtSource.optional(),
  /** False when the offset was assumed (camera wrote local time as UTC, EXIF without offset, …). */
  offsetKnown: z.boolean().optional(),
  gps: Gps.optional(),
  make: z.string().optional(),
  model: z.string().optional(),
  serial: z.string().optional(),
  /** The camera's firmware or software version, as the file names it. */
  firmware: z.string().optional(),
  deviceId: z.string().optional(),
  officerId: z.string().optional(),
  /** True when Chromium can play the original without a proxy. */
  browserPlayable: z.boolean().optional(),
});
export type MediaInfo = z.infer<typeof MediaInfo>;

export const ItemStatus = z.enum(['ok', 'undecodable']);

/** Where an item came from: imported from a device, or made at this station from another item. */
export const ItemOrigin = z.enum(['import', 'clip', 'still']);
export type ItemOrigin = z.infer<typeof ItemOrigin>;
export type ItemStatus = z.infer<typeof ItemStatus>;

export const DerivedState = z.enum(['none', 'pending', 'ready', 'failed']);

export const TimeCorrection = z.object({
  recordedAt: IsoInstant,
  previous: IsoInstant.nullable(),
  reason: z.string(),
  by: z.string(),
  at: IsoInstant,
});
export type TimeCorrection = z.infer<typeof TimeCorrection>;

/**
 * Where the filmstrip's tiles are: one tile per keyframe of the recording, in sheets of
 * `columns` x `rows` tiles (JPEG), left to right then top to bottom. `timesSec[i]` is the media
 * time of tile i (sheet `floor(i / (columns*rows))`), so the list doubles as the keyframe index.
 */
export const FilmstripIndex = z.object({
  tileWidth: z.number().int().positive(),
  tileHeight: z.number().int().positive(),
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
  sheets: z.number().int().nonnegative(),
  timesSec: z.array(z.number().nonnegative()),
});
export type FilmstripIndex = z.infer<typeof FilmstripIndex>;

export const ItemSummary = z.object({
  id: Id,
  sha256: Sha256,
  size: z.number().int().nonnegative(),
  originalName: z.string(),
  kind: MediaKind,
  status: ItemStatus,
  importedAt: IsoInstant,
  importedBy: z.string(),
  recordedAt: IsoInstant.nullable(),
  recordedAtSource: RecordedAtSource.nullable(),
  offsetKnown: z.boolean(),
  durationSec: z.number().nullable(),
  deviceId: z.string().nullable(),
  officerId: z.string().nullable(),
  hasGps: z.boolean(),
  thumbnail: DerivedState,
  origin: ItemOrigin,
});
export type ItemSummary = z.infer<typeof ItemSummary>;

export const ItemDetail = ItemSummary.extend({
  relativePath: z.string(),
  sourceDevice: z.string().nullable(),
  /** The import that brought the item in; null for clips and stills made at this station. */
  importId: Id.nullable(),
  media: MediaInfo,
  reason: z.string().nullable(),
  filmstrip: DerivedState,
  proxy: DerivedState,
  /** The recorded time as first read from the file, before any correction. */
  originalRecordedAt: IsoInstant.nullable(),
  corrections: z.array(TimeCorrection),
  custodySeqs: z.array(z.number().int().positive()),
});
export type ItemDetail = z.infer<typeof ItemDetail>;

export const ImportOutcome = z.enum(['imported', 'duplicate', 'undecodable', 'skipped', 'failed']);
export type ImportOutcome = z.infer<typeof ImportOutcome>;

export const ImportReasonCode = z.enum([
  'empty',
  'notMedia',
  'probeFailed',
  'unreadable',
  'permissionDenied',
  'vanished',
  'changedDuringRead',
  'diskFull',
  'copyMismatch',
  'cancelled',
  'storeError',
  'notRegularFile',
  'symlinkRefused',
  'sourceReplaced',
  'folderUnreadable',
  'inStation',
  'systemFolder',
  /** The station stopped (killed, crashed, power cut) before it reached this file. */
  'interrupted',
]);
export type ImportReasonCode = z.infer<typeof ImportReasonCode>;

export const ImportFileResult = z.object({
  path: z.string(),
  relativePath: z.string(),
  originalName: z.string(),
  size: z.number().int().nonnegative(),
  modifiedAt: IsoInstant.nullable(),
  sha256: Sha256.nullable(),
  status: ImportOutcome,
  itemId: Id.nullable(),
  /** For a duplicate: the item that already holds these bytes. */
  duplicateOf: Id.nullable(),
  reasonCode: ImportReasonCode.nullable(),
  reasonDetail: z.string().nullable(),
});
export type ImportFileResult = z.infer<typeof ImportFileResult>;

export const ImportState = z.enum(['running', 'completed', 'cancelled', 'failed']);

export const ImportRecord = z.object({
  id: Id,
  state: ImportState,
  account: z.string(),
  station: z.string(),
  startedAt: IsoInstant,
  finishedAt: IsoInstant.nullable(),
  sources: z.array(z.string()),
  sourceDevice: z.string().nullable(),
  deviceIds: z.array(z.string()),
  officerIds: z.array(z.string()),
  files: z.array(ImportFileResult),
  counts: z.record(ImportOutcome, z.number().int().nonnegative()),
  /** True only when every source file is stored and verified (imported, duplicate or undecodable). */
  safeToWipe: z.boolean(),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

export const ImportPhase = z.enum(['scanning', 'copying', 'verifying', 'probing', 'recording', 'done']);

export const ImportProgress = z.object({
  importId: Id,
  phase: ImportPhase,
  currentPath: z.string().nullable(),
  fileBytesDone: z.number().nonnegative(),
  fileBytesTotal: z.number().nonnegative(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
});
export type ImportProgress = z.infer<typeof ImportProgress>;

export const LibraryQuery = z.object({
  text: z.string().max(200).optional(),
  recordedFrom: IsoInstant.optional(),
  recordedTo: IsoInstant.optional(),
  deviceId: z.string().max(64).optional(),
  officerId: z.string().max(64).optional(),
  kind: MediaKind.optional(),
  status: ItemStatus.optional(),
  /** The camera's model, or its serial number, as the file says (not the file-name device id). */
  cameraModel: z.string().max(128).optional(),
  cameraSerial: z.string().max(128).optional(),
  /** Original (imported), or made at this station: a clip or a still. */
  origin: ItemOrigin.optional(),
  /** Items with a current tag of this violation type. */
  violationCode: z.string().min(1).max(64).optional(),
  /** `any`: items with at least one current tag; `none`: items with none. */
  tagged: z.enum(['any', 'none']).optional(),
  /** Items currently in this case. */
  caseId: Id.optional(),
  sort: z.enum(['recordedAt', 'importedAt', 'name', 'size']).default('importedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  offset: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(500).default(100),
});
export type LibraryQuery = z.input<typeof LibraryQuery>;

export const CustodyEntry = z.object({
  seq: z.number().int().positive(),
  at: IsoInstant,
  actor: z.string(),
  station: z.string(),
  action: z.string(),
  subject: z.string().nullable(),
  sha256: Sha256.nullable(),
  details: z.record(z.string(), z.unknown()),
  prev: Sha256,
  hash: Sha256,
});
export type CustodyEntry = z.infer<typeof CustodyEntry>;

// Defined beside the other custody-guard schemas; re-exported here where the rest of the contract looks.
export { ChainVerdict } from './custodySchemas';

export const Volume = z.object({
  path: z.string(),
  label: z.string().nullable(),
  hasDcim: z.boolean(),
});

export const DirEntry = z.object({
  name: z.string(),
  path: z.string(),
  isDir: z.boolean(),
  size: z.number().nullable(),
});

export const FileNamePattern = z.object({
  name: z.string().min(1).max(64),
  /** A JavaScript regular expression with named groups `device`, `officer`, `time` (YYYYMMDDhhmmss). */
  regex: z.string().min(1).max(512),
});
export type FileNamePattern = z.infer<typeof FileNamePattern>;

export const Settings = z.object({
  locale: Locale,
  lockAfterMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  fileNamePatterns: z.array(FileNamePattern),
  stationName: z.string().min(1).max(64),
  /** The office named as `Source-Organization` in every sealed package; the station name until an admin sets it. */
  officeName: z.string().trim().min(1).max(200),
  /** A session ends this many hours after sign-in, however active it is. */
  sessionHours: z.number().int().min(1).max(72),
  /**
   * How new case numbers are made: `{YYYY}`, `{MM}`, `{DD}` (station local date), `{STATION}` and
   * `{SEQ}` or `{SEQ:n}` (the year's running number, zero-padded to n digits), e.g. `ZF-{YYYY}-{SEQ:5}`.
   */
  caseNumberFormat: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/\{SEQ(:[1-9])?\}/, 'must contain {SEQ} or {SEQ:n}'),
  /**
   * Folders an administrator allows the UI hosts to import from and browse, besides removable
   * volumes and the OS user's home. Absolute paths (POSIX, or a Windows drive or UNC path).
   */
  importRoots: z
    .array(
      z
        .string()
        .min(2)
        .max(1024)
        .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path'),
    )
    .max(32),
});
export type Settings = z.infer<typeof Settings>;
