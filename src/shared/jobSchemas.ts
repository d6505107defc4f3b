import { z } from 'zod';
import { Id, MediaKind } from './schemas';

/**
 * Background derivations (thumbnails, filmstrips, viewing copies) that failed, and why, in codes a
 * person reads in both languages (`DERIVE_PROBLEM_MESSAGES`). The tool's own words follow in
 * `detail`, in English, as the tool said them.
 */
export const DERIVE_PROBLEM_CODES = [
  /** The HEIC photo has more pixels than the station decodes (`MAX_HEIF_PIXELS`). */
  'heifTooLarge',
  /** The HEIC file is larger than the decoder reads into memory. */
  'heifFileTooLarge',
  /** libheif could not read or decode the HEIC. */
  'heifUndecodable',
  /** ffmpeg (or ffprobe) failed or was stopped after its time limit. */
  'toolFailed',
  /** The stored original could not be read. */
  'sourceUnreadable',
  /** The item no longer exists. */
  'itemGone',
] as const;
export const DeriveProblemCode = z.enum(DERIVE_PROBLEM_CODES);
export type DeriveProblemCode = z.infer<typeof DeriveProblemCode>;

export const DerivedVariantName = z.enum(['thumbnail', 'filmstrip', 'proxy']);
export type DerivedVariantName = z.infer<typeof DerivedVariantName>;

export const DerivedFailure = z
  .object({
    itemId: Id,
    originalName: z.string(),
    kind: MediaKind,
    variant: DerivedVariantName,
    problem: DeriveProblemCode,
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    /** The tool's own last words, English, for the technically minded; may be empty. */
    detail: z.string(),
    attempts: z.number().int(),
    failedAt: z.string(),
  })
  .strict();
export type DerivedFailure = z.infer<typeof DerivedFailure>;

export const JobCounts = z.object({ pending: z.number().int(), running: z.number().int(), failed: z.number().int() });
export type JobCounts = z.infer<typeof JobCounts>;
