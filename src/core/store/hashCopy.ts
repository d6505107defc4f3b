import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/startWorker';
import type { FailureKind, HashCopyRequest, HashCopyResponse } from './hashCopyProtocol';
import type { SourceIdentity } from './openSource';

export class HashCopyError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'HashCopyError';
  }
}

export class HashCopyAbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'HashCopyAbortedError';
  }
}

export interface HashResult {
  sha256: string;
  bytes: number;
}

interface Pending {
  resolve(result: HashResult): void;
  reject(error: Error): void;
  onProgress: ((bytes: number) => void) | undefined;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
/** Re-reads go to the disk (direct I/O): larger requests keep it streaming while chunks are hashed. */
const HASH_CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * Hashing and copying run in a worker thread so the host's event loop stays free. One request at
 * a time; cancelling terminates the worker (the caller removes what it wrote) and a new one
 * starts on the next request.
 */
export class HashCopier {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * Copies `source` to `dest` and hashes it. With `expected`, the opened file must be the one the
   * scan saw (device, inode, size); in any case a link or anything but a regular file is refused.
   */
  copy(
    source: string,
    dest: string,
    opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void; expected?: SourceIdentity | null } = {},
  ): Promise<HashResult> {
    const expected = opts.expected ?? null;
    return this.request({ op: 'copy', id: 0, source, dest, chunkBytes: CHUNK_BYTES, expected }, opts);
  }

  hash(path: string, opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<HashResult> {
    return this.request({ op: 'hash', id: 0, path, chunkBytes: HASH_CHUNK_BYTES }, opts);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    const orphaned = [...this.pending.values()];
    this.pending.clear();
    // Its requests fail only once the worker has ended, with the files it had open: a cancelled
    // import's record then never precedes the release of the source (a camera may be unplugged).
    await worker?.terminate();
    for (const p of orphaned) p.reject(new HashCopyAbortedError());
  }

  /**
   * Starts the worker ahead of the first request, so an import does not wait for it; an idle
   * worker does not keep the process alive.
   */
  prestart(): void {
    this.ensureWorker().unref();
  }

  private request(
    req: HashCopyRequest,
    opts: { signal?: AbortSignal | undefined; onProgress?: ((bytes: number) => void) | undefined },
  ): Promise<HashResult> {
    if (opts.signal?.aborted) return Promise.reject(new HashCopyAbortedError());
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<HashResult>((resolve, reject) => {
      const onAbort = (): void => {
        void this.close();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
        reject: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        onProgress: opts.onProgress,
      });
      // Keep the process alive only while work is pending, so an idle station can exit.
      worker.ref();
      worker.postMessage({ ...req, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // From source this module is a .ts file beside the worker's .ts; in a bundle both are .js.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const worker = startWorker(new URL(`./hashCopyWorker${ext}`, import.meta.url));
    worker.on('message', (msg: HashCopyResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'progress') {
        p.onProgress?.(msg.bytes);
        return;
      }
      this.pending.delete(msg.id);
      if (this.pending.size === 0) worker.unref();
      if (msg.type === 'done') p.resolve({ sha256: msg.sha256, bytes: msg.bytes });
      else p.reject(new HashCopyError(msg.kind, msg.code, msg.message));
    });
    // A worker ended by close() has already failed its requests; its late exit event must not
    // fail the requests of the worker that replaced it.
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(error);
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new HashCopyAbortedError());
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(error);
    }
  }
}
