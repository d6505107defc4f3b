import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { rangeHashWorkerSource } from './rangeHashWorkerMain';
import type { ExpectedFile, RangeHashRequest, RangeHashResponse } from './rangeHashProtocol';

/** A range that could not be read (missing, unreadable, shorter than expected). */
export class RangeHashError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'RangeHashError';
  }
}

export class RangeHashAbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'RangeHashAbortedError';
  }
}

export interface RangeJob {
  path: string;
  start: number;
  length: number;
  expect?: ExpectedFile;
}

interface Queued {
  job: RangeJob;
  resolve(sha256: string): void;
  reject(error: Error): void;
  onProgress: ((bytes: number) => void) | undefined;
}

/**
 * Plain reads run on the worker's own thread: 1 MiB stays in the core's cache between the read's
 * copy and the hash. Direct reads wait for the disk, so they are larger and kept in flight.
 */
const CHUNK_BYTES = 1024 * 1024;
const DIRECT_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Hashes byte ranges on one worker thread per core, each worker one range at a time, in the order
 * the ranges were asked for (ask for the largest first and the workers finish together). A
 * single file is hashed by one worker: SHA-256 cannot be split, so the parallelism is across
 * files. Aborting ends every worker and fails what is pending.
 */
export class RangeHashPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Queued[] = [];
  private readonly running = new Map<Worker, { id: number; q: Queued }>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly opts: {
      direct: boolean;
      workers?: number;
      signal?: AbortSignal;
      /** Read size; by default larger for direct reads. Each worker holds three buffers of it. */
      chunkBytes?: number;
    },
  ) {
    const count = Math.max(1, opts.workers ?? Math.min(4, availableParallelism()));
    const source = rangeHashWorkerSource();
    for (let i = 0; i < count; i++) {
      // No inherited execArgv: under a loader such as tsx (`--import tsx`) every worker would load
      // it first, which costs more than the start of the worker itself; this source needs none.
      const worker = new Worker(source, { eval: true, execArgv: [] });
      worker.on('message', (msg: RangeHashResponse) => this.onMessage(worker, msg));
      worker.on('error', (error) => {
        this.failAll(error);
        void this.close();
      });
      worker.on('exit', () => {
        if (!this.closed) this.failAll(new RangeHashError(null, 'a hashing worker stopped'));
      });
      this.all.push(worker);
      this.idle.push(worker);
    }
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  hash(job: RangeJob, onProgress?: (bytes: number) => void): Promise<string> {
    if (this.closed || this.opts.signal?.aborted) return Promise.reject(new RangeHashAbortedError());
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ job, resolve, reject, onProgress });
      this.dispatch();
    });
  }

  /**
   * Ends every worker and fails what is pending. By default it resolves once the threads have
   * exited, so no file is still open in one. With `wait: false` it does not wait for that: for a
   * caller whose every job has settled (a worker closes its file before it answers), so nothing
   * is left open and the thread's teardown need not delay the answer.
   */
  async close(opts: { wait?: boolean } = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    // A worker still on a job may have its file open.
    const busy = this.running.size > 0;
    this.failAll(new RangeHashAbortedError());
    const exited = Promise.all(this.all.map((w) => w.terminate()));
    if (opts.wait === false && !busy) return;
    await exited;
  }

  private readonly onAbort = (): void => {
    void this.close();
  };

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const q = this.queue.shift()!;
      const id = this.nextId++;
      this.running.set(worker, { id, q });
      const req: RangeHashRequest = {
        id,
        ...q.job,
        direct: this.opts.direct,
        chunkBytes: this.opts.chunkBytes ?? (this.opts.direct ? DIRECT_CHUNK_BYTES : CHUNK_BYTES),
      };
      worker.postMessage(req);
    }
  }

  private onMessage(worker: Worker, msg: RangeHashResponse): void {
    const current = this.running.get(worker);
    if (!current || current.id !== msg.id) return;
    if (msg.type === 'progress') {
      current.q.onProgress?.(msg.bytes);
      return;
    }
    this.running.delete(worker);
    this.idle.push(worker);
    if (msg.type === 'done') current.q.resolve(msg.sha256);
    else current.q.reject(new RangeHashError(msg.code, msg.message));
    this.dispatch();
  }

  private failAll(error: Error): void {
    for (const { q } of this.running.values()) q.reject(error);
    this.running.clear();
    for (const q of this.queue.splice(0)) q.reject(error);
  }
}
