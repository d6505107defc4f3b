import { z } from 'zod';
import { Id, IsoInstant, ItemSummary } from './schemas';
import { Derivation, Tag } from './reviewSchemas';

/**
 * Schemas of batch work on the library: one call acts on many items, in one transaction, with one
 * custody entry per item that changed and one outcome per item asked about.
 */

/** How many items one batch call may name: a few screens of selection, and a bounded transaction. */
export const BATCH_MAX_ITEMS = 1000;

export const BatchItemIds = z.array(Id).min(1).max(BATCH_MAX_ITEMS);

/**
 * What happened to one item. `done`: changed, with its custody entry. Every other outcome left the
 * item as it was, and says why.
 */
export const BatchOutcome = z.enum([
  'done',
  'notFound',
  /** Add to case: the item is already in the case. */
  'alreadyInCase',
  /** Tag: the item already has a current whole-item tag of that type. */
  'alreadyTagged',
  /** Time: the file gave no recorded time to correct. */
  'noRecordedTime',
  /** Time: a clip's or still's time follows its recording; correct the recording. */
  'derivedTime',
  /** Time: the correction gives the time the item already has. */
  'unchanged',
]);
export type BatchOutcome = z.infer<typeof BatchOutcome>;

export const BatchItemResult = z.object({
  itemId: Id,
  /** Null when the item was not found. */
  name: z.string().nullable(),
  outcome: BatchOutcome,
  /** Time corrections: the recorded time before and after (after only when `done` or `unchanged`). */
  previous: IsoInstant.nullable().optional(),
  recordedAt: IsoInstant.nullable().optional(),
});
export type BatchItemResult = z.infer<typeof BatchItemResult>;

export const BatchResult = z.object({
  /** One per distinct item asked about, in the order asked. */
  results: z.array(BatchItemResult),
  done: z.number().int().nonnegative(),
});
export type BatchResult = z.infer<typeof BatchResult>;

/** A zone as cameras are set to it: `+08:00`, `-05:30`, `Z`. */
export const ZoneOffset = z.string().regex(/^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/, 'a zone such as +08:00');

/** At most a week either way: a clock further off than that is a wrong date, corrected item by item. */
export const MAX_SHIFT_SEC = 7 * 24 * 3600;

/** Which items a clock correction covers. */
export const TimeScope = z.discriminatedUnion('by', [
  z.object({ by: z.literal('items'), itemIds: BatchItemIds }).strict(),
  z.object({ by: z.literal('import'), importId: Id }).strict(),
  z.object({ by: z.literal('device'), deviceId: z.string().min(1).max(64) }).strict(),
]);
export type TimeScope = z.infer<typeof TimeScope>;

export const ClockCorrectionInput = z
  .object({
    scope: TimeScope,
    /**
     * Seconds added to the camera's reading: a clock that ran 3 min 12 s fast takes −192. Applied to
     * the time the file gave (never to an earlier correction), so applying it twice changes nothing.
     */
    shiftSec: z.number().int().min(-MAX_SHIFT_SEC).max(MAX_SHIFT_SEC),
    /** The zone the camera's clock was set to; absent: the zone of the reading as stored. */
    zone: ZoneOffset.optional(),
    reason: z.string().trim().min(1).max(1000),
  })
  .strict();
export type ClockCorrectionInput = z.input<typeof ClockCorrectionInput>;

/** A clip or still of a recording, offered when the recording goes into a case. */
export const DerivedOffer = z.object({
  item: ItemSummary,
  derivation: Derivation,
  /** Already in the case asked about. */
  inCase: z.boolean(),
  /**
   * Tags of the recording whose range the clip was cut from (the clip lies within the range), that
   * the clip does not carry yet: offered to tag the clip with.
   */
  sourceTags: z.array(Tag),
});
export type DerivedOffer = z.infer<typeof DerivedOffer>;

export const CaseOffers = z.object({
  /** By recording id: its clips and stills, oldest first. Recordings with none are left out. */
  offers: z.array(z.object({ sourceItemId: Id, derived: z.array(DerivedOffer) })),
  /** The only draft case, when there is exactly one: the dialog preselects it. */
  onlyDraftId: Id.nullable(),
});
export type CaseOffers = z.infer<typeof CaseOffers>;
