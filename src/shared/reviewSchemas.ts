import { z } from 'zod';
import { FilmstripIndex, Id, IsoInstant, ItemDetail, ItemSummary, Sha256 } from './schemas';

/**
 * Schemas of the review workspace: clips and stills cut from recordings, the violation taxonomy,
 * tags, markers and cases. Times on a recording are media times in seconds: the presentation
 * timeline as `<video>.currentTime` shows it (frame time minus the container's start).
 */

export const MediaTime = z
  .number()
  .finite()
  .nonnegative()
  .max(7 * 24 * 3600);

export const ClipMode = z.enum(['lossless', 'exact']);
export type ClipMode = z.infer<typeof ClipMode>;

/** A client-made id for a long-running cut, so the client can cancel it and match progress events. */
export const JobId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'letters, digits, dash or underscore (8–64)');

const ClipFields = { itemId: Id, fromSec: MediaTime, toSec: MediaTime, mode: ClipMode };
const outAfterIn = (r: { fromSec: number; toSec: number }) => r.toSec > r.fromSec;
const outAfterInMessage = { message: 'the out point must come after the in point', path: ['toSec'] };

export const ClipRequest = z.object(ClipFields).strict().refine(outAfterIn, outAfterInMessage);

export const ClipCreate = z
  .object({ jobId: JobId, ...ClipFields })
  .strict()
  .refine(outAfterIn, outAfterInMessage);

/** What a clip will hold, read from the recording's packets before anything is cut. */
export const ClipPlan = z.object({
  mode: ClipMode,
  requestedFromSec: z.number(),
  requestedToSec: z.number(),
  /** First frame's media time; for lossless clips the keyframe at or before the in point. */
  fromSec: z.number(),
  /** Exclusive end: the media time just after the last frame. */
  toSec: z.number(),
  frameCount: z.number().int().positive(),
  frameRate: z.number().positive().nullable(),
  container: z.string(),
});
export type ClipPlan = z.infer<typeof ClipPlan>;

export const DerivationKind = z.enum(['clip', 'still']);
export type DerivationKind = z.infer<typeof DerivationKind>;

/** How a clip or still was made: enough to repeat it and to explain it in court. */
export const Derivation = z.object({
  itemId: Id,
  kind: DerivationKind,
  sourceItemId: Id,
  sourceSha256: Sha256,
  mode: ClipMode.nullable(),
  requestedFromSec: z.number().nullable(),
  requestedToSec: z.number().nullable(),
  /** Measured from the output: first frame's media time in the source (a still: the frame's time). */
  fromSec: z.number(),
  /** Measured exclusive end in the source's media time; equal to `fromSec` for a still. */
  toSec: z.number(),
  frameCount: z.number().int().nonnegative(),
  createdBy: z.string(),
  createdAt: IsoInstant,
  /** Tool, version, full argument list, streams kept and dropped, encoder settings. */
  provenance: z.record(z.string(), z.unknown()),
});
export type Derivation = z.infer<typeof Derivation>;

export const DerivedEvidence = z.object({ item: ItemDetail, derivation: Derivation });
export type DerivedEvidence = z.infer<typeof DerivedEvidence>;

export const ClipProgress = z.object({
  jobId: JobId,
  itemId: Id,
  fraction: z.number().min(0).max(1),
});

export const ViolationCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash or underscore');

export const ViolationType = z.object({
  code: ViolationCode,
  nameZh: z.string().trim().min(1).max(128),
  nameEn: z.string().trim().min(1).max(128),
  /** The provision the violation breaks, as the office cites it. */
  legalBasis: z.string().max(2000),
  /** Retired types stay in the catalogue so old tags keep their meaning, but are not offered. */
  retired: z.boolean().default(false),
});
export type ViolationType = z.infer<typeof ViolationType>;

export const Taxonomy = z.object({
  version: z.number().int().positive(),
  createdAt: IsoInstant,
  createdBy: z.string(),
  note: z.string(),
  types: z.array(ViolationType),
});
export type Taxonomy = z.infer<typeof Taxonomy>;

export const TaxonomyUpdate = z
  .object({
    types: z
      .array(ViolationType)
      .min(1)
      .max(1000)
      .refine((types) => new Set(types.map((t) => t.code)).size === types.length, { message: 'codes must be unique' }),
    note: z.string().trim().min(1).max(1000),
  })
  .strict();

/** A tag on a whole item (no range) or on a time range of a recording. */
export const Tag = z.object({
  id: Id,
  itemId: Id,
  code: ViolationCode,
  taxonomyVersion: z.number().int().positive(),
  /** Names as they were in that taxonomy version, so an old tag reads as it was meant. */
  nameZh: z.string(),
  nameEn: z.string(),
  fromSec: z.number().nullable(),
  toSec: z.number().nullable(),
  note: z.string(),
  createdBy: z.string(),
  createdAt: IsoInstant,
  updatedBy: z.string(),
  updatedAt: IsoInstant,
  removed: z.boolean(),
  /** Number of changes so far; `tags.undo` reverts the latest. */
  revision: z.number().int().positive(),
});
export type Tag = z.infer<typeof Tag>;

const TagRange = {
  fromSec: MediaTime.nullable().optional(),
  toSec: MediaTime.nullable().optional(),
};

const rangeIsWhole = (r: { fromSec?: number | null; toSec?: number | null }) =>
  (r.fromSec == null) === (r.toSec == null) && (r.fromSec == null || r.toSec == null || r.toSec > r.fromSec);
const rangeMessage = { message: 'give both ends of the range, the out point after the in point' };

export const TagAdd = z
  .object({ itemId: Id, code: ViolationCode, ...TagRange, note: z.string().max(4000).default('') })
  .strict()
  .refine(rangeIsWhole, rangeMessage);

export const TagUpdate = z
  .object({ id: Id, code: ViolationCode.optional(), ...TagRange, note: z.string().max(4000).optional() })
  .strict()
  .refine(rangeIsWhole, rangeMessage);

export const Marker = z.object({
  id: Id,
  itemId: Id,
  atSec: z.number().nonnegative(),
  label: z.string(),
  createdBy: z.string(),
  createdAt: IsoInstant,
});
export type Marker = z.infer<typeof Marker>;

/** What the review workspace needs to open a recording; opening it is a custody event. */
export const ReviewInfo = z.object({
  item: ItemDetail,
  /** What the player streams: the original when Chromium plays it, else the proxy, else nothing yet. */
  playback: z.enum(['original', 'proxy', 'pending', 'none']),
  frameRate: z.number().positive().nullable(),
  /**
   * Media time of the first video frame: 0 for most recordings, later when another stream starts
   * first (MPEG-TS, or audio recorded before the picture). Frame n is shown from here + n / rate.
   */
  videoStartSec: z.number().nonnegative(),
  filmstrip: FilmstripIndex.nullable(),
  /** When this item is itself a clip or still: how it was made. */
  derivation: Derivation.nullable(),
  /** Clips and stills made from this item. */
  derivatives: z.array(Derivation),
  tags: z.array(Tag),
  markers: z.array(Marker),
});
export type ReviewInfo = z.infer<typeof ReviewInfo>;

/**
 * A sealed version's review state (migration 90): sealed → approved → queued → synced | refused,
 * or sealed → rejected (the case then reopens as the next draft version).
 */
export const CaseVersionState = z.enum(['sealed', 'approved', 'rejected', 'queued', 'synced', 'refused']);
export type CaseVersionState = z.infer<typeof CaseVersionState>;

/**
 * Where a case stands: `draft` while its current version is a draft, else the review state of its
 * current (newest) sealed version. Never `rejected`: a rejected version's case is a draft again.
 */
export const CaseState = z.enum(['draft', 'sealed', 'approved', 'queued', 'synced', 'refused']);
export type CaseState = z.infer<typeof CaseState>;

/** What the case list filters by: a case state, or `rejected` for drafts whose last sealed version was rejected. */
export const CaseListState = z.enum(['draft', 'rejected', 'sealed', 'approved', 'queued', 'synced', 'refused']);
export type CaseListState = z.infer<typeof CaseListState>;

export const CaseParty = z.object({
  kind: z.enum(['business', 'person', 'vehicle', 'other']),
  /** Business name, person's name, or a vehicle plate. */
  name: z.string().trim().min(1).max(200),
  detail: z.string().max(1000).default(''),
});
export type CaseParty = z.infer<typeof CaseParty>;

const CaseFields = {
  title: z.string().trim().min(1).max(200),
  place: z.string().trim().max(500),
  occurredAt: IsoInstant.nullable(),
  parties: z.array(CaseParty).max(50),
  notes: z.string().max(20000),
};

export const CaseCreate = z
  .object({
    title: CaseFields.title,
    place: CaseFields.place.default(''),
    occurredAt: CaseFields.occurredAt.default(null),
    parties: CaseFields.parties.default([]),
    notes: CaseFields.notes.default(''),
  })
  .strict();

export const CaseUpdate = z
  .object({
    id: Id,
    title: CaseFields.title.optional(),
    place: CaseFields.place.optional(),
    occurredAt: CaseFields.occurredAt.optional(),
    parties: CaseFields.parties.optional(),
    notes: CaseFields.notes.optional(),
  })
  .strict();

export const CaseSummary = z.object({
  id: Id,
  number: z.string(),
  title: z.string(),
  place: z.string(),
  occurredAt: IsoInstant.nullable(),
  state: CaseState,
  /** The current version: the draft's number, or the latest sealed version's when the case is sealed. */
  version: z.number().int().positive(),
  /** How many versions have been sealed (each stays exportable). */
  sealedVersions: z.number().int().nonnegative(),
  /** The review state of the newest sealed version (`rejected` on a draft sent back); null before the first seal. */
  lastVersionState: CaseVersionState.nullable(),
  itemCount: z.number().int().nonnegative(),
  createdBy: z.string(),
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const CaseItem = z.object({
  item: ItemSummary,
  derivation: Derivation.nullable(),
  tags: z.array(Tag),
  addedBy: z.string(),
  addedAt: IsoInstant,
  /** Where the item sits on the case's time axis (UTC instant of its first frame), if known. */
  startsAt: IsoInstant.nullable(),
  /** Where it ends on the axis: start plus duration, if both are known. */
  endsAt: IsoInstant.nullable(),
});
export type CaseItem = z.infer<typeof CaseItem>;

export const CaseDetail = CaseSummary.extend({
  parties: z.array(CaseParty),
  notes: z.string(),
  /** Ordered by recorded time; items without one come last. */
  items: z.array(CaseItem),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const CaseQuery = z
  .object({
    text: z.string().max(200).optional(),
    state: CaseListState.optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(500).default(100),
  })
  .strict();
