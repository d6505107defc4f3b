import type { DerivedFailure, DeriveProblemCode } from '../../shared/jobSchemas';
import type { MediaInfo } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

export type DerivedVariant = 'thumbnail' | 'filmstrip' | 'proxy';

export interface DerivedJob {
  itemId: string;
  variant: DerivedVariant;
  attempts: number;
}

/**
 * Which derived media an item needs: posters and filmstrips for video, a proxy where Chromium cannot
 * play it. A HEIC photo's proxy is its full-size JPEG preview (Chromium shows no HEIC).
 */
export function derivedVariantsFor(media: MediaInfo): DerivedVariant[] {
  if (media.kind === 'video') {
    return media.browserPlayable ? ['thumbnail', 'filmstrip'] : ['thumbnail', 'filmstrip', 'proxy'];
  }
  if (media.kind === 'photo') return isHeifPhoto(media) ? ['thumbnail', 'proxy'] : ['thumbnail'];
  return [];
}

/** A HEIC/HEIF photo: decoded by libheif, not ffmpeg (which reads its tiles as separate pictures). */
export function isHeifPhoto(media: Pick<MediaInfo, 'kind' | 'container'>): boolean {
  return media.kind === 'photo' && media.container === 'heif';
}

/** Queued in the same transaction as the item, so a crash never leaves an item whose jobs are lost. */
export function enqueueDerivedFor(db: WritableDB, itemId: string, media: MediaInfo, at: Date): void {
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO derived (item_id, variant, state, updated_at) VALUES (?, ?, 'pending', ?)`,
  );
  for (const v of derivedVariantsFor(media)) stmt.run(itemId, v, at.toISOString());
}

/** Takes the oldest pending job, marking it running; posters first, since the library shows them. */
export function claimNextJob(db: WritableDB, at: Date): DerivedJob | null {
  const row = db
    .prepare(
      `SELECT item_id AS itemId, variant, attempts FROM derived WHERE state = 'pending'
       ORDER BY CASE variant WHEN 'thumbnail' THEN 0 WHEN 'filmstrip' THEN 1 ELSE 2 END, updated_at LIMIT 1`,
    )
    .get() as DerivedJob | undefined;
  if (!row) return null;
  db.prepare(
    `UPDATE derived SET state = 'running', attempts = attempts + 1, updated_at = ? WHERE item_id = ? AND variant = ?`,
  ).run(at.toISOString(), row.itemId, row.variant);
  return row;
}

export function completeJob(
  db: WritableDB,
  job: DerivedJob,
  result: { file: string; sha256: string; provenance: Record<string, unknown> },
  at: Date,
): void {
  db.prepare(
    `UPDATE derived SET state = 'ready', file = ?, sha256 = ?, provenance = ?, error = NULL, updated_at = ?
     WHERE item_id = ? AND variant = ?`,
  ).run(result.file, result.sha256, JSON.stringify(result.provenance), at.toISOString(), job.itemId, job.variant);
}

export interface JobProblem {
  problem: DeriveProblemCode;
  params: Record<string, string | number>;
  /** The tool's own words. */
  detail: string;
}

export function failJob(db: WritableDB, job: DerivedJob, why: JobProblem, retry: boolean, at: Date): void {
  db.prepare(
    `UPDATE derived SET state = ?, error = ?, problem = ?, problem_params = ?, updated_at = ?
     WHERE item_id = ? AND variant = ?`,
  ).run(
    retry ? 'pending' : 'failed',
    why.detail.slice(0, 2000),
    why.problem,
    Object.keys(why.params).length ? JSON.stringify(why.params) : null,
    at.toISOString(),
    job.itemId,
    job.variant,
  );
}

const FAILURES_SHOWN = 500;

/** Failed derivations, newest first, with the item's name and why (the jobs panel). */
export function listFailedJobs(db: ReadableDB): DerivedFailure[] {
  const rows = db
    .prepare(
      `SELECT d.item_id AS itemId, i.original_name AS originalName, i.media, d.variant, d.problem,
              d.problem_params AS params, d.error, d.attempts, d.updated_at AS failedAt
       FROM derived d JOIN items i ON i.id = d.item_id
       WHERE d.state = 'failed' ORDER BY d.updated_at DESC, d.item_id, d.variant LIMIT ?`,
    )
    .all(FAILURES_SHOWN) as {
    itemId: string;
    originalName: string;
    media: string;
    variant: DerivedVariant;
    problem: DeriveProblemCode | null;
    params: string | null;
    error: string | null;
    attempts: number;
    failedAt: string;
  }[];
  return rows.map((r) => ({
    itemId: r.itemId,
    originalName: r.originalName,
    kind: (JSON.parse(r.media) as MediaInfo).kind,
    variant: r.variant,
    // Failures recorded before the codes existed were all the tools' own.
    problem: r.problem ?? 'toolFailed',
    params: r.params ? (JSON.parse(r.params) as Record<string, string | number>) : {},
    detail: r.error ?? '',
    attempts: r.attempts,
    failedAt: r.failedAt,
  }));
}

/**
 * Puts failed derivations back in the queue with their attempts reset: one (`itemId` and
 * `variant`), an item's, or all. Returns how many.
 */
export function retryFailedJobs(
  db: WritableDB,
  which: { itemId?: string | undefined; variant?: DerivedVariant | undefined },
  at: Date,
): number {
  return db
    .prepare(
      `UPDATE derived SET state = 'pending', attempts = 0, error = NULL, problem = NULL, problem_params = NULL,
              updated_at = @at
       WHERE state = 'failed' AND (@itemId IS NULL OR item_id = @itemId) AND (@variant IS NULL OR variant = @variant)`,
    )
    .run({ at: at.toISOString(), itemId: which.itemId ?? null, variant: which.variant ?? null }).changes;
}

/** Jobs a killed process left running go back to the queue. */
export function requeueInterruptedJobs(db: WritableDB): number {
  return db.prepare(`UPDATE derived SET state = 'pending' WHERE state = 'running'`).run().changes;
}

export function jobCounts(db: ReadableDB): { pending: number; running: number; failed: number } {
  const rows = db.prepare(`SELECT state, count(*) AS n FROM derived GROUP BY state`).all() as {
    state: string;
    n: number;
  }[];
  const n = (s: string): number => rows.find((r) => r.state === s)?.n ?? 0;
  return { pending: n('pending'), running: n('running'), failed: n('failed') };
}

export function derivedFile(db: ReadableDB, itemId: string, variant: DerivedVariant): string | null {
  const row = db
    .prepare(`SELECT file FROM derived WHERE item_id = ? AND variant = ? AND state = 'ready'`)
    .get(itemId, variant) as { file: string } | undefined;
  return row?.file ?? null;
}

export function pendingJobsForItems(db: ReadableDB, itemIds: string[]): number {
  if (itemIds.length === 0) return 0;
  const stmt = db.prepare(`SELECT count(*) AS n FROM derived WHERE item_id = ? AND state IN ('pending', 'running')`);
  return itemIds.reduce((sum, id) => sum + (stmt.get(id) as { n: number }).n, 0);
}
