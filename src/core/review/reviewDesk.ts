import { randomUUID } from 'node:crypto';
import type { EventName, EventPayload, MediaVariant } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { ClipPlan, DerivedEvidence, ReviewInfo } from '../../shared/reviewSchemas';
import { inTransaction, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { findItemIdBySha, findItemIdsByShaPrefix, getItemRow } from '../library/itemsRepo';
import type { MediaTools } from '../media/tools/binaries';
import { HashCopier } from '../store/hashCopy';
import type { StationLayout } from '../store/layout';
import { createClip, planClipOf, planForClient, type ClipInput } from './createClip';
import { createStill } from './createStill';
import { sourceInfoOf, type CutContext } from './cutContext';
import { CutJobs } from './cutJobs';
import type { RecordCustody } from './recordMadeItem';
import { readReviewInfo } from './reviewInfo';
import { PlanCache } from './planCache';
import { SourceCache } from './sourceCache';
import { videoStartOf } from './videoStart';
import { ViewLog } from './viewLog';

export interface ReviewDeskOptions {
  db: WritableDB;
  layout: StationLayout;
  tools: MediaTools;
  log: Logger;
  now: () => Date;
  record: RecordCustody;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Starts the derived-media runner after new items queued their thumbnails and filmstrips. */
  kickJobs(): void;
  /** Ten minutes unless a test says otherwise. */
  viewWindowMs?: number;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;
const SHA256_PREFIX = /^[0-9a-fA-F]{12,63}$/;

/**
 * The engine's side of the review workspace: opening evidence (a custody event, debounced per
 * account and item), and making clips and stills as jobs that can be cancelled. One per engine;
 * `close()` stops every job and removes what they wrote.
 */
export class ReviewDesk {
  private readonly views: ViewLog;
  private readonly jobs = new CutJobs();
  private readonly copier = new HashCopier();
  private readonly ctx: CutContext;

  constructor(private readonly opts: ReviewDeskOptions) {
    this.views = new ViewLog(opts.now, opts.viewWindowMs);
    this.ctx = {
      db: opts.db,
      layout: opts.layout,
      tools: opts.tools,
      log: opts.log,
      now: opts.now,
      copier: this.copier,
      jobs: this.jobs,
      record: opts.record,
      sources: new SourceCache(),
      plans: new PlanCache(),
    };
  }

  /**
   * An item's id from its id, its SHA-256 (any case), or the start of its SHA-256 (12 hex digits
   * or more, as the CLI prints it) when exactly one item's hash starts so.
   */
  resolve(ref: string): string {
    let id: string | null | undefined;
    if (SHA256.test(ref)) id = findItemIdBySha(this.opts.db, ref.toLowerCase());
    else if (SHA256_PREFIX.test(ref) && !getItemRow(this.opts.db, ref)) {
      const ids = findItemIdsByShaPrefix(this.opts.db, ref.toLowerCase());
      if (ids.length > 1) throw new AppError('item.ambiguous', { ref });
      id = ids[0];
    } else id = getItemRow(this.opts.db, ref)?.id;
    if (!id) throw new AppError('item.notFound', { id: ref });
    return id;
  }

  /** What the workspace shows for an item; opening it is a view on the record. */
  async open(itemId: string, account: string): Promise<ReviewInfo> {
    const row = getItemRow(this.opts.db, itemId);
    if (!row) throw new AppError('item.notFound', { id: itemId });
    let videoStartSec = 0;
    if (row.kind === 'video' && row.status === 'ok') {
      try {
        videoStartSec = videoStartOf(await sourceInfoOf(this.ctx, row));
      } catch (error) {
        // The workspace still opens; frame numbers then count from the container's start.
        this.opts.log.warn('could not read where the video starts', {
          itemId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    this.noteView(itemId, account, { via: 'review' });
    return readReviewInfo(this.opts.db, itemId, videoStartSec);
  }

  /**
   * Called by the engine whenever a host streams an item's own bytes (or its proxy), so watching
   * outside the workspace is on the record too. Posters and filmstrips are not views.
   */
  noteMediaOpened(itemId: string, variant: MediaVariant, account: string, via: string): void {
    if (variant !== 'original' && variant !== 'play') return;
    this.noteView(itemId, account, { via: `media:${via}`, variant });
  }

  async plan(input: Omit<ClipInput, 'jobId'>): Promise<ClipPlan> {
    return planForClient(await planClipOf(this.ctx, input));
  }

  async createClip(input: ClipInput, actor: string): Promise<DerivedEvidence> {
    const made = await this.jobs.run(input.jobId, (signal) =>
      createClip(this.ctx, input, actor, signal, (fraction) =>
        this.opts.emit('clips.progress', { jobId: input.jobId, itemId: input.itemId, fraction }),
      ),
    );
    this.announce(made, input.itemId);
    return made;
  }

  cancelClip(jobId: string): void {
    this.jobs.cancel(jobId);
  }

  async createStill(input: { itemId: string; atSec: number }, actor: string): Promise<DerivedEvidence> {
    // Stills are short and have no client job id; a name no client id can take lets close() stop them.
    const made = await this.jobs.run(`still:${randomUUID()}`, (signal) => createStill(this.ctx, input, actor, signal));
    this.announce(made, input.itemId);
    return made;
  }

  /** Stops clips and stills in progress (their temp files are removed) and the hashing worker. */
  async close(): Promise<void> {
    await this.jobs.close();
    await this.copier.close();
  }

  private announce(made: DerivedEvidence, sourceItemId: string): void {
    this.opts.kickJobs();
    this.opts.emit('library.changed', { itemIds: [made.item.id] });
    this.opts.emit('review.changed', { itemId: sourceItemId });
  }

  private noteView(itemId: string, account: string, details: Record<string, unknown>): void {
    const row = getItemRow(this.opts.db, itemId);
    if (!row) throw new AppError('item.notFound', { id: itemId });
    if (!this.views.claim(account, itemId)) return;
    try {
      inTransaction(this.opts.db, () =>
        this.opts.record({ actor: account, action: 'item.view', subject: itemId, sha256: row.sha256, details }),
      );
    } catch (error) {
      this.views.release(account, itemId);
      throw error;
    }
  }
}
