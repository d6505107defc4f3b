import { AppError } from '../../shared/errors';

/**
 * The clips and stills being made right now, each with its own AbortController, so a client can
 * cancel its clip by the job id it chose and the engine can stop them all when it closes.
 */
export class CutJobs {
  private readonly running = new Map<string, AbortController>();
  private readonly settling = new Set<Promise<unknown>>();
  private storing: Promise<unknown> = Promise.resolve();
  private closed = false;

  /**
   * Runs `work` as job `jobId`. Throws `clip.busy` while a job of that id is running. The job is
   * forgotten once `work` settles, so cancelling it afterwards answers `job.notFound`.
   */
  run<T>(jobId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('internal'));
    if (this.running.has(jobId)) return Promise.reject(new AppError('clip.busy', { jobId }));
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const done = work(controller.signal).finally(() => {
      this.running.delete(jobId);
      this.settling.delete(done);
    });
    this.settling.add(done);
    return done;
  }

  /** Asks job `jobId` to stop; its `run` then rejects (`clip.cancelled`) once it has cleaned up. */
  cancel(jobId: string): void {
    const controller = this.running.get(jobId);
    if (!controller) throw new AppError('job.notFound', { jobId });
    controller.abort();
  }

  /**
   * Runs `step` after every earlier one has finished. Storing and recording go one at a time: two
   * cuts of the same bytes finishing together must not both take them for new.
   */
  exclusive<T>(step: () => Promise<T>): Promise<T> {
    const next = this.storing.then(step, step);
    this.storing = next.catch(() => undefined);
    return next;
  }

  /** Stops every job and waits until each has removed what it wrote. */
  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.running.values()) controller.abort();
    await Promise.allSettled([...this.settling]);
  }
}
