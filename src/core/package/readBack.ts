import { Worker } from 'node:worker_threads';
import type { ReadBackRequest, ReadBackResponse } from './readBackProtocol';
import { readBackWorkerSource } from './readBackWorkerMain';

/**
 * Reads files back from the medium while they are still being written, and hashes what it reads,
 * on a worker thread of its own (the other core, while this one writes). The writer announces a
 * file (`follow`), says how far it has written and flushed it (`written`: the reader never reads
 * past that), and says when it is complete; the result is the SHA-256 of what the medium gave
 * back. Reads are direct where the file system allows it, so they come from the medium and not
 * from the page cache; where it refuses (tmpfs), plain reads are used.
 */

export class ReadBackError extends Error {
  constructor(
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'ReadBackError';
  }
}

export class ReadBackAbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ReadBackAbortedError';
  }
}

export interface ReadBackResult {
  sha256: string;
  bytes: number;
}

/** One file being read back: tell it how far the writer has got. */
export interface FollowedFile {
  /** Everything before `bytes` is written and flushed. */
  written(bytes: number): void;
  /** The file is written whole, `bytes` long, and flushed. */
  complete(bytes: number): void;
  /** What the medium gave back; rejects if it could not be read back whole. */
  readonly result: Promise<ReadBackResult>;
}

interface Pending {
  resolve(result: ReadBackResult): void;
  reject(error: Error): void;
  onProgress: ((bytes: number) => void) | undefined;
}

/** Direct reads wait for the medium: requests this large keep it streaming while a chunk is hashed. */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class ReadBackHasher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(private readonly opts: { direct: boolean; signal?: AbortSignal | undefined; chunkBytes?: number }) {
    // No inherited execArgv: the source needs no loader (see readBackWorkerMain).
    this.worker = new Worker(readBackWorkerSource(), {
      eval: true,
      execArgv: [],
      workerData: { chunkBytes: opts.chunkBytes ?? CHUNK_BYTES, direct: opts.direct },
    });
    this.worker.on('message', (msg: ReadBackResponse) => this.onMessage(msg));
    this.worker.on('error', (error) => {
      this.failAll(error);
      void this.close();
    });
    this.worker.on('exit', () => {
      if (!this.closed) this.failAll(new ReadBackError(null, 'the read-back worker stopped'));
    });
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Starts following `path`, which the caller is about to write; files are read back in this order. */
  follow(path: string, onProgress?: (bytes: number) => void): FollowedFile {
    const id = this.nextId++;
    const result = new Promise<ReadBackResult>((resolve, reject) => {
      if (this.closed) reject(new ReadBackAbortedError());
      else this.pending.set(id, { resolve, reject, onProgress });
    });
    // Awaited by the caller once the copy is done; a failure meanwhile must not count as unhandled.
    result.catch(() => undefined);
    this.send({ type: 'file', id, path });
    return {
      written: (bytes) => this.send({ type: 'written', id, bytes }),
      complete: (bytes) => this.send({ type: 'complete', id, bytes }),
      result,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.failAll(new ReadBackAbortedError());
    await this.worker.terminate();
  }

  private readonly onAbort = (): void => {
    void this.close();
  };

  private send(request: ReadBackRequest): void {
    if (!this.closed) this.worker.postMessage(request);
  }

  private onMessage(msg: ReadBackResponse): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      p.onProgress?.(msg.bytes);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'done') p.resolve({ sha256: msg.sha256, bytes: msg.bytes });
    else p.reject(new ReadBackError(msg.code, msg.message));
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
