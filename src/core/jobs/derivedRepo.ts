import type { MediaInfo } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';

export type DerivedVariant = 'thumbnail' | 'filmstrip' | 'proxy';

export interface DerivedJob {
  itemId: string;
  variant: DerivedVariant;
  attempts: number;
}

/** Which derived media an item needs: posters and filmstrips for video, a proxy where Chromium cannot play it. */
export function derivedVariantsFor(media: MediaInfo): DerivedVariant[] {
  if (media.kind === 'video') {
    return media.browserPlayable ? ['thumbnail', 'filmstrip'] : ['thumbnail', 'filmstrip', 'proxy'];
  }
  if (media.kind === 'photo') return ['thumbnail'];
  return [];
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

export function failJob(db: WritableDB, job: DerivedJob, error: string, retry: boolean, at: Date): void {
  db.prepare(`UPDATE derived SET state = ?, error = ?, updated_at = ? WHERE item_id = ? AND variant = ?`).run(
    retry ? 'pending' : 'failed',
    error.slice(0, 2000),
    at.toISOString(),
    job.itemId,
    job.variant,
  );
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
