import { z } from 'zod';
import {
  Account,
  AccountName,
  ChainVerdict,
  CustodyEntry,
  DirEntry,
  Id,
  ImportFileResult,
  ImportProgress,
  ImportRecord,
  IsoInstant,
  ItemDetail,
  ItemSummary,
  LibraryQuery,
  Locale,
  OfficerNumber,
  Password,
  Role,
  Session,
  Settings,
  Volume,
} from './schemas';
import {
  CaseCreate,
  CaseDetail,
  CaseQuery,
  CaseSummary,
  ClipCreate,
  ClipPlan,
  ClipProgress,
  ClipRequest,
  DerivedEvidence,
  JobId,
  Marker,
  MediaTime,
  ReviewInfo,
  Tag,
  TagAdd,
  TagUpdate,
  Taxonomy,
  TaxonomyUpdate,
  CaseUpdate,
} from './reviewSchemas';
import {
  CaseVersion,
  ExportProgress,
  ExportRequest,
  ExportResult,
  SealResult,
  StationKeyInfo,
  TrustedKey,
  VerifyReport,
  VersionDiff,
  VersionRejection,
  VersionReview,
} from './sealSchemas';
import { CheckReport, CustodyProblem } from './custodySchemas';
import { BATCH_MAX_ITEMS, BatchItemIds, BatchResult, CaseOffers, ClockCorrectionInput } from './batchSchemas';
import { EnrolInput, SyncEnrolment, SyncSettings, SyncStatus, SyncSummary } from './syncSchemas';
import { DerivedFailure, DerivedVariantName } from './jobSchemas';

/**
 * The one API of the station. Every host (Electron IPC, the web host, the CLI, tests) derives its
 * transport from this table and validates input against it before the engine sees it.
 *
 * `auth: 'none'` methods may be called without a session; all others need a signed-in, unlocked
 * session, and `role` narrows who may call them. `auth: 'local'` methods only read, and a trusted
 * local host (the CLI, run by the station's OS user, who can read the data directory anyway; tests)
 * may call them without a session, so that verifying appends nothing; through the web host or the
 * desktop app they need a session like any other.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(spec: {
  input: I;
  output: O;
  auth?: 'none' | 'session' | 'local';
  role?: 'admin';
}) => ({ auth: 'session' as const, ...spec });

const Empty = z.object({}).strict();

/**
 * The ffmpeg/ffprobe pair the engine resolved. `warning` is null for a current matched pair;
 * `npm-fallback` (the 2018 npm ffmpeg beside a newer ffprobe) and `mismatched` are shown in the
 * status bar until a matched pair is installed.
 */
export const MediaToolsStatus = z.object({
  warning: z.enum(['npm-fallback', 'mismatched']).nullable(),
  ffmpegVersion: z.string(),
  ffprobeVersion: z.string(),
});
const Ok = z.object({ ok: z.literal(true) });

export const contract = {
  'station.status': method({
    input: Empty,
    output: z.object({
      setupRequired: z.boolean(),
      stationName: z.string(),
      stationId: z.string(),
      version: z.string(),
      locale: Locale,
      mediaTools: MediaToolsStatus,
    }),
    auth: 'none',
  }),
  'auth.setupAdmin': method({
    input: z
      .object({
        name: AccountName,
        displayName: z.string().max(128).optional(),
        password: Password,
        /** The language chosen on the first-run screen: the new admin's own, so setup does not switch it back. */
        locale: Locale.optional(),
      })
      .strict(),
    output: Session,
    auth: 'none',
  }),
  /**
   * `newPassword` sets a new password in the same step; it is required (`auth.passwordChangeRequired`)
   * when an admin reset the password. Failures are throttled per account and per client
   * (`auth.throttled`), and too many lock the account out (`account.lockedOut`).
   */
  'auth.signIn': method({
    input: z
      .object({ name: AccountName, password: z.string().min(1).max(1024), newPassword: Password.optional() })
      .strict(),
    output: Session,
    auth: 'none',
  }),
  'auth.unlock': method({
    input: z.object({ sessionId: z.string().min(16).max(128), password: z.string().min(1).max(1024) }).strict(),
    output: Session,
    auth: 'none',
  }),
  'auth.signOut': method({ input: Empty, output: Ok }),
  'auth.lock': method({ input: Empty, output: Ok }),
  'auth.whoami': method({ input: Empty, output: Session }),
  /** Everyone changes their own password; the old one is required (and throttled like a sign-in). */
  'auth.changePassword': method({
    input: z.object({ oldPassword: z.string().min(1).max(1024), newPassword: Password }).strict(),
    output: Ok,
  }),
  'accounts.list': method({ input: Empty, output: z.array(Account), role: 'admin' }),
  /** `mustChangePassword`: the password is a temporary one the user replaces at first sign-in. */
  'accounts.create': method({
    input: z
      .object({
        name: AccountName,
        displayName: z.string().max(128).optional(),
        password: Password,
        role: Role,
        officerNumber: OfficerNumber.optional(),
        mustChangePassword: z.boolean().default(false),
      })
      .strict(),
    output: Account,
    role: 'admin',
  }),
  /** Disabling ends the account's sessions at once; the last enabled admin cannot be disabled. */
  'accounts.setDisabled': method({
    input: z.object({ name: AccountName, disabled: z.boolean() }).strict(),
    output: Account,
    role: 'admin',
  }),
  /** Ends the account's sessions; the last enabled admin cannot be demoted. */
  'accounts.setRole': method({
    input: z.object({ name: AccountName, role: Role }).strict(),
    output: Account,
    role: 'admin',
  }),
  /**
   * A temporary password the user must change at the next sign-in; without `password` the engine
   * makes one and returns it. Ends the account's sessions and lifts a lockout.
   */
  'accounts.resetPassword': method({
    input: z.object({ name: AccountName, password: Password.optional() }).strict(),
    output: z.object({ account: Account, temporaryPassword: z.string().nullable() }),
    role: 'admin',
  }),
  'accounts.liftLockout': method({ input: z.object({ name: AccountName }).strict(), output: Account, role: 'admin' }),
  'accounts.endSessions': method({
    input: z.object({ name: AccountName }).strict(),
    output: z.object({ ended: z.number().int().nonnegative() }),
    role: 'admin',
  }),
  'accounts.setOfficerNumber': method({
    input: z.object({ name: AccountName, officerNumber: OfficerNumber.nullable() }).strict(),
    output: Account,
    role: 'admin',
  }),
  'settings.get': method({ input: Empty, output: Settings }),
  'settings.update': method({ input: Settings.partial().strict(), output: Settings, role: 'admin' }),
  /** The caller's own display language (a preference, not logged); the station default is `settings.update`. */
  'settings.setLocale': method({ input: z.object({ locale: Locale }).strict(), output: Account }),
  'import.start': method({
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(1000),
        includeNonMedia: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ importId: Id }),
  }),
  /**
   * What a path holds before it is imported (file count, total size), refused with the same named
   * error import.start would give: the import dialog checks each path as it is added.
   */
  'import.survey': method({
    input: z.object({ path: z.string().min(1).max(4096) }).strict(),
    output: z.object({
      path: z.string(),
      kind: z.enum(['folder', 'file']),
      files: z.number().int().nonnegative(),
      bytes: z.number().nonnegative(),
      skipped: z.number().int().nonnegative(),
    }),
  }),
  'import.cancel': method({ input: z.object({ importId: Id }).strict(), output: Ok }),
  'import.get': method({ input: z.object({ importId: Id }).strict(), output: ImportRecord }),
  'import.list': method({
    input: z.object({ limit: z.number().int().positive().max(200).default(20) }).strict(),
    output: z.array(ImportRecord.omit({ files: true })),
  }),
  'import.volumes': method({ input: Empty, output: z.array(Volume) }),
  'fs.listDir': method({
    input: z.object({ path: z.string().max(4096).optional() }).strict(),
    output: z.object({ path: z.string(), parent: z.string().nullable(), entries: z.array(DirEntry) }),
  }),
  'library.query': method({
    input: LibraryQuery.strict(),
    output: z.object({ items: z.array(ItemSummary), total: z.number().int().nonnegative() }),
  }),
  'library.facets': method({
    input: Empty,
    output: z.object({
      deviceIds: z.array(z.string()),
      officerIds: z.array(z.string()),
      cameraModels: z.array(z.string()),
      cameraSerials: z.array(z.string()),
    }),
  }),
  'items.get': method({ input: z.object({ id: Id }).strict(), output: ItemDetail }),
  'items.correctTime': method({
    input: z.object({ id: Id, recordedAt: IsoInstant, reason: z.string().trim().min(1).max(1000) }).strict(),
    output: ItemDetail,
  }),
  /**
   * Which of `ids` still exist and match the filter (paging and sort ignored): a selection kept
   * across refreshes and filter changes drops exactly the items that left.
   */
  'library.matching': method({
    input: z
      .object({
        query: LibraryQuery.omit({ sort: true, order: true, offset: true, limit: true }).strict(),
        ids: BatchItemIds,
      })
      .strict(),
    output: z.object({ ids: z.array(Id) }),
  }),
  /**
   * Adds the items to a draft case in one transaction, one custody entry per item added; items
   * already in it are reported, not added twice. `tagFromSource`: clips to tag with the tag of the
   * recording range they were cut from (a whole-item tag on the clip, its own custody entry).
   */
  'batch.addToCase': method({
    input: z
      .object({
        caseId: Id,
        itemIds: BatchItemIds,
        tagFromSource: z
          .array(z.object({ itemId: Id, tagId: Id }).strict())
          .max(BATCH_MAX_ITEMS)
          .default([]),
      })
      .strict(),
    output: BatchResult.extend({ caseId: Id, number: z.string(), tagged: z.array(Id) }),
  }),
  /** A whole-item tag of one violation type on each item, one transaction, one custody entry per item tagged. */
  'batch.tag': method({
    input: z
      .object({ itemIds: BatchItemIds, code: z.string().min(1).max(64), note: z.string().max(2000).default('') })
      .strict(),
    output: BatchResult,
  }),
  /**
   * A camera clock's correction (shift and zone) applied to the items named, or to every item of an
   * import or a device: one transaction, one custody entry and one correction row per item changed,
   * each with the old and new time and the reason. The file's own reading is kept.
   */
  'batch.correctTime': method({ input: ClockCorrectionInput, output: BatchResult.extend({ batchId: Id }) }),
  /** The clips and stills of these recordings, for the add-to-case dialog, and the only draft case if one. */
  'cases.addOffers': method({
    input: z.object({ itemIds: BatchItemIds, caseId: Id.optional() }).strict(),
    output: CaseOffers,
  }),
  'custody.list': method({
    auth: 'local',
    input: z
      .object({
        subject: Id.optional(),
        /** With `subject` an item: also the clips and stills cut from it and its case additions/removals. */
        related: z.boolean().optional(),
        offset: z.number().int().nonnegative().default(0),
        limit: z.number().int().positive().max(500).default(100),
      })
      .strict(),
    output: z.object({ entries: z.array(CustodyEntry), total: z.number().int().nonnegative() }),
  }),
  /** Reads only: the chain, its head file, recorded head problems, signed checkpoints, items. */
  'custody.verify': method({ input: Empty, output: ChainVerdict, auth: 'local' }),
  /** Problems found between the chain head and the database (`open`: unacknowledged problems only, for the banner). */
  'custody.problems': method({
    input: z.object({ open: z.boolean().default(false) }).strict(),
    output: z.array(CustodyProblem),
  }),
  /** An admin has seen a problem; it stays on the record (and in `custody.verify`), the banner goes. A custody entry. */
  'custody.acknowledge': method({
    input: z.object({ id: z.number().int().positive() }).strict(),
    output: CustodyProblem,
    role: 'admin',
  }),
  /** Store, records, custody chain and file modes agree; reads only. */
  'station.check': method({
    input: z.object({ rehash: z.boolean().default(false) }).strict(),
    output: CheckReport,
    auth: 'local',
  }),
  /** Takes group and other permissions off the data directory's guarded files and folders. A custody entry. */
  'station.repairModes': method({
    input: Empty,
    output: z.object({ repaired: z.array(z.string()) }),
    role: 'admin',
  }),
  'jobs.summary': method({
    input: Empty,
    output: z.object({ pending: z.number().int(), running: z.number().int(), failed: z.number().int() }),
  }),
  /** Thumbnails, filmstrips and viewing copies that failed, newest first, each with why (the jobs panel). */
  'jobs.failures': method({ input: Empty, output: z.object({ failures: z.array(DerivedFailure) }) }),
  /** Queues failed derivations again: one (item and variant), an item's, or all of them. */
  'jobs.retry': method({
    input: z.object({ itemId: Id.optional(), variant: DerivedVariantName.optional() }).strict(),
    output: z.object({ requeued: z.number().int() }),
  }),
  /** An item's id from its id or its SHA-256 (for the CLI and for pasted hashes). */
  'items.resolve': method({
    input: z.object({ ref: z.string().trim().min(1).max(128) }).strict(),
    output: z.object({ id: Id }),
  }),
  /** Everything the review workspace shows for one item. A custody event (`item.view`), debounced. */
  'review.open': method({ input: z.object({ itemId: Id }).strict(), output: ReviewInfo }),
  /** What a clip of this range would really hold, read from the recording; changes nothing. */
  'clips.plan': method({ input: ClipRequest, output: ClipPlan }),
  /** Cuts a clip into a new evidence item; progress arrives as `clips.progress` for `jobId`. */
  'clips.create': method({
    input: ClipCreate,
    output: DerivedEvidence,
  }),
  'clips.cancel': method({ input: z.object({ jobId: JobId }).strict(), output: Ok }),
  /** The frame on screen at `atSec` as a lossless PNG evidence item. */
  'stills.create': method({ input: z.object({ itemId: Id, atSec: MediaTime }).strict(), output: DerivedEvidence }),
  'taxonomy.get': method({
    input: z.object({ version: z.number().int().positive().optional() }).strict(),
    output: Taxonomy,
  }),
  'taxonomy.versions': method({ input: Empty, output: z.array(Taxonomy.omit({ types: true })) }),
  /** Saves the catalogue as a new version; earlier versions stay, so old tags keep their meaning. */
  'taxonomy.update': method({ input: TaxonomyUpdate, output: Taxonomy, role: 'admin' }),
  'tags.list': method({
    input: z.object({ itemId: Id, includeRemoved: z.boolean().default(false) }).strict(),
    output: z.array(Tag),
  }),
  'tags.add': method({ input: TagAdd, output: Tag }),
  'tags.update': method({ input: TagUpdate, output: Tag }),
  'tags.remove': method({ input: z.object({ id: Id }).strict(), output: Tag }),
  /** Reverts the tag's latest change (an add is undone by removing, a removal by restoring). */
  'tags.undo': method({ input: z.object({ id: Id }).strict(), output: Tag }),
  'markers.add': method({
    input: z.object({ itemId: Id, atSec: MediaTime, label: z.string().trim().max(200).default('') }).strict(),
    output: Marker,
  }),
  'markers.remove': method({ input: z.object({ id: Id }).strict(), output: Ok }),
  'cases.list': method({
    input: CaseQuery,
    output: z.object({ cases: z.array(CaseSummary), total: z.number().int().nonnegative() }),
  }),
  'cases.create': method({ input: CaseCreate, output: CaseDetail }),
  /** `ref` is the case's id or its number. */
  'cases.get': method({ input: z.object({ ref: z.string().trim().min(1).max(128) }).strict(), output: CaseDetail }),
  'cases.update': method({ input: CaseUpdate, output: CaseDetail }),
  'cases.addItems': method({
    input: z.object({ caseId: Id, itemIds: z.array(Id).min(1).max(500) }).strict(),
    output: CaseDetail,
  }),
  /** Only from a draft case; the removal and its reason go on the record. */
  'cases.removeItem': method({
    input: z.object({ caseId: Id, itemId: Id, reason: z.string().trim().min(1).max(1000) }).strict(),
    output: CaseDetail,
  }),
  /**
   * Re-hashes every stored file of the draft, freezes it as the next version and builds its signed
   * package in the store. Refused for an empty or untitled case and when any file differs from its hash.
   */
  'cases.seal': method({ input: z.object({ caseId: Id }).strict(), output: SealResult }),
  /** Makes the next version of a sealed case a draft; the sealed versions stay as they were. */
  'cases.reopen': method({
    input: z.object({ caseId: Id, reason: z.string().trim().min(1).max(1000) }).strict(),
    output: CaseDetail,
  }),
  'cases.versions': method({ input: z.object({ caseId: Id }).strict(), output: z.array(CaseVersion) }),
  /**
   * A supervisor or admin approves a sealed version (default: the latest) that they neither sealed
   * nor edited; signs `seal/approval.json` for its exports. Refusals: `approval.*`.
   */
  'cases.approve': method({ input: VersionReview, output: CaseVersion }),
  /** Like approve, but sends the version back with a reason: the case reopens as the next draft version. */
  'cases.reject': method({ input: VersionRejection, output: CaseVersion }),
  /** What changed from the previous sealed version (items, tags, case fields), from the two frozen snapshots. */
  'cases.versionDiff': method({
    input: z.object({ caseId: Id, version: z.number().int().positive() }).strict(),
    output: VersionDiff,
  }),
  /** Copies a sealed version's package to a folder (or one zip), reads it back and verifies it; progress as `export.progress`. */
  'cases.export': method({ input: ExportRequest, output: ExportResult }),
  'cases.exportCancel': method({ input: z.object({ jobId: JobId }).strict(), output: Ok }),
  /** Verifies a package (folder or zip) at an absolute path; reads only. */
  'package.verify': method({
    auth: 'local',
    input: z.object({ path: z.string().min(1).max(4096), expectFingerprint: z.string().max(200).optional() }).strict(),
    output: VerifyReport,
  }),
  /** The station's public key and fingerprint (never the private key). */
  'station.key': method({ input: Empty, output: StationKeyInfo, auth: 'local' }),
  'keys.list': method({ input: Empty, output: z.array(TrustedKey) }),
  /** Trusts another station's public key (SPKI PEM), so `verify` recognises its packages. */
  'keys.import': method({
    input: z.object({ publicKeyPem: z.string().min(1).max(10_000), label: z.string().trim().min(1).max(200) }).strict(),
    output: TrustedKey,
    role: 'admin',
  }),
  /**
   * Enrols the station with a central server (PROTOCOL.md): the server key is pinned only when its
   * fingerprint is the code's; the station's public key is registered. A custody entry; versions
   * approved before are queued.
   */
  'sync.enrol': method({ input: EnrolInput, output: SyncEnrolment, role: 'admin' }),
  /** The enrolment, the settings, and every queued version and file with its state; reads only. */
  'sync.status': method({ input: Empty, output: SyncStatus }),
  /**
   * Starts a sync pass at once, backoffs set aside. With `wait`, resolves when the pass has ended;
   * either way answers each queued version's state.
   */
  'sync.now': method({
    input: z.object({ wait: z.boolean().default(false) }).strict(),
    output: z.array(SyncSummary),
  }),
  /** The bandwidth limit and daily window; any field given changes it (admin only; a custody entry). */
  'sync.settings': method({
    input: SyncSettings.partial().strict(),
    output: SyncSettings,
  }),
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(contract, value);
}

/** Events the engine pushes to every signed-in client. */
export const events = {
  'import.progress': ImportProgress,
  'import.fileDone': z.object({ importId: Id, result: ImportFileResult }),
  'import.finished': z.object({ importId: Id, record: ImportRecord.omit({ files: true }) }),
  'library.changed': z.object({ itemIds: z.array(Id) }),
  'jobs.changed': z.object({ pending: z.number().int(), running: z.number().int(), failed: z.number().int() }),
  'clips.progress': ClipProgress,
  /** Tags or markers of an item changed (by anyone at this station). */
  'review.changed': z.object({ itemId: Id }),
  'cases.changed': z.object({ caseId: Id }),
  'export.progress': ExportProgress,
  /** The outbox changed (a version queued, a file sent, a receipt stored); `caseId` when one case. */
  'sync.changed': z.object({ caseId: z.string().nullable() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(events, value);
}

/** Media the renderer may request, by opaque item id; never a path. */
export const MediaVariant = z.enum(['original', 'thumbnail', 'filmstrip', 'play']);
export type MediaVariant = z.infer<typeof MediaVariant>;

/**
 * What a transport gives the renderer: IPC in Electron, HTTP + server-sent events on the web host,
 * and the in-process client in tests all implement it.
 */
export interface StationClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** `part`: which sheet of a `filmstrip` (0 first; see `FilmstripIndex`); other variants have none. */
  mediaUrl(itemId: string, variant: MediaVariant, part?: number): string;
  /** Whether the client holds a session from an earlier sign-in (it may have expired since). */
  hasSession(): boolean;
}
