import { AppError } from '../../shared/errors';
import type { WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { getItemRow, type ItemRow } from '../library/itemsRepo';
import type { MediaTools } from '../media/tools/binaries';
import { ClipRangeError } from '../media/cut/clipPlan';
import { probeSource, type SourceInfo } from '../media/probe/packets';
import { ProcessAbortedError, ProcessError } from '../media/tools/runProcess';
import { HashCopyAbortedError, type HashCopier } from '../store/hashCopy';
import { evidencePath, type StationLayout } from '../store/layout';
import { StoreFileError } from '../store/placeInStore';
import type { CutJobs } from './cutJobs';
import type { RecordCustody } from './recordMadeItem';
import type { PlanCache } from './planCache';
import type { SourceCache } from './sourceCache';

/** What cutting a clip or taking a still works with; built once by `ReviewDesk`. */
export interface CutContext {
  db: WritableDB;
  layout: StationLayout;
  tools: MediaTools;
  log: Logger;
  now: () => Date;
  /** Hashes made files; used by one job at a time (inside `jobs.exclusive`). */
  copier: HashCopier;
  jobs: CutJobs;
  record: RecordCustody;
  /** What ffprobe said of each stored recording's streams (stored files never change). */
  sources: SourceCache;
  /** Plans of ranges of stored recordings: a range planned for the clip panel is not planned again to cut it. */
  plans: PlanCache;
}

/**
 * The streams of a stored recording, probed once per engine. Shared by whoever asks, so no one
 * caller's cancel ends it (it is one short ffprobe run).
 */
export function sourceInfoOf(ctx: CutContext, row: ItemRow): Promise<SourceInfo> {
  const file = evidencePath(ctx.layout, row.sha256);
  return ctx.sources.get(row.sha256, () => probeSource(ctx.tools, file, { log: ctx.log }));
}

/** The item a clip or still is made from: a recording with video that ffprobe could read. */
export function sourceRecording(db: WritableDB, itemId: string): ItemRow {
  const row = getItemRow(db, itemId);
  if (!row) throw new AppError('item.notFound', { id: itemId });
  if (row.kind !== 'video' || row.status !== 'ok') throw new AppError('item.notRecording', { id: itemId });
  return row;
}

/**
 * The error a client gets for a failed cut. Expected refusals pass through; a cancel is quiet
 * (one log line); a tool or store failure is logged with its detail (command line, stderr) and
 * reported as `clip.failed` / `still.failed`, a full disk as `store.insufficientSpace`.
 */
export function cutFailure(
  error: unknown,
  kind: 'clip' | 'still',
  signal: AbortSignal,
  log: Logger,
  about: Record<string, unknown>,
): AppError {
  if (error instanceof AppError) return error;
  if (signal.aborted || error instanceof ProcessAbortedError || error instanceof HashCopyAbortedError) {
    log.info(`${kind} cancelled; nothing was kept`, about);
    return new AppError('clip.cancelled');
  }
  if (error instanceof ClipRangeError) {
    if (error.reason === 'openGop') return new AppError('clip.openGop');
    if (error.reason === 'untimed') return new AppError('clip.untimed');
    return new AppError('clip.range', { reason: error.reason });
  }
  const failed = kind === 'clip' ? 'clip.failed' : 'still.failed';
  if (error instanceof ProcessError) {
    log.error(`${kind} failed: ${error.message}`, {
      ...about,
      commandLine: error.commandLine,
      stderr: error.stderrTail.join('\n'),
    });
    if (error.stderrTail.some((line) => /No space left on device/i.test(line))) {
      return new AppError('store.insufficientSpace', {});
    }
    return new AppError(failed);
  }
  if (error instanceof StoreFileError && error.kind === 'diskFull') {
    log.error(`${kind} could not be stored: ${error.message}`, about);
    return new AppError('store.insufficientSpace', {});
  }
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOSPC') {
    log.error(`${kind} could not be written: ${(error as Error).message}`, about);
    return new AppError('store.insufficientSpace', {});
  }
  log.error(`${kind} failed: ${error instanceof Error ? error.message : String(error)}`, {
    ...about,
    stack: error instanceof Error ? error.stack : undefined,
  });
  return new AppError(failed);
}
