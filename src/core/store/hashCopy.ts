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

export interface CopyResult extends HashResult {
  /**
   * With `reread`: what reading the copy back from the disk gave, slice by slice as each was
   * flushed. The caller compares it with `sha256` and `bytes`; it says nothing until compared.
   */
  reread?: HashResult;
}

/** A flushed part of a copy, about to be read back: bytes [start, end) of the file. */
export interface FlushedSlice {
  start: number;
  end: number;
  /** The copy is complete and fsynced; this is its last slice. */
  last: boolean;
}

export interface CopyOptions {
  signal?: AbortSignal;
  onProgress?: (bytes: number) => void;
  /**
   * The file the scan saw (device, inode, size); the opened file must be that one. In any case a
   * link or anything but a regular file is refused.
   */
  expected?: SourceIdentity | null;
  /**
   * Read the copy back from the disk (direct I/O) as it is made: each slice, once flushed, is
   * re-read and hashed on a second worker (the other core) while the next slice is copied.
   */
  reread?: boolean;
  /** Bytes per flushed slice (default 64 MiB). */
  sliceBytes?: number;
  /** Bytes re-read so far; called once the copy itself is done (before that, `onProgress` tells more). */
  onRereadProgress?: (bytes: number) => void;
  /** Test seam: runs after each slice is flushed and before it is re-read, one slice at a time. */
  beforeReread?: (dest: string, slice: FlushedSlice) => Promise<void>;
}

interface Pending {
  resolve(result: HashResult): void;
  reject(error: Error): void;
  /** Resolves once the worker has answered (or the request was failed without it). */
  answered: Promise<void>;
  onProgress: ((bytes: number) => void) | undefined;
  onFlushed?: ((bytes: number, last: boolean) => void) | undefined;
  role: WorkerRole;
}

type WorkerRole = 'copier' | 'rereader';

const CHUNK_BYTES = 4 * 1024 * 1024;
/** Re-reads go to the disk (direct I/O): larger requests keep it streaming while chunks are hashed. */
const HASH_CHUNK_BYTES = 16 * 1024 * 1024;
const SLICE_BYTES = 64 * 1024 * 1024;
/** How long a closing copier waits for a read-back to stop on its own before ending its worker anyway. */
const STOP_REREAD_WAIT_MS = 5000;

/**
 * Hashing and copying run in worker threads so the host's event loop stays free: one worker
 * copies and hashes, and a second one re-reads a copy while it is made. One copy at a time;
 * cancelling terminates both workers (the caller removes what was written) and new ones start on
 * the next request.
 */
export class HashCopier {
  private readonly workers = new Map<WorkerRole, Worker>();
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /**
   * Copies `source` to `dest` (a new file), hashes what it read, and with `reread` also what the
   * copy reads back from the disk. Rejects with `HashCopyError` (nothing is compared here) or
   * `HashCopyAbortedError`, only once no worker has `dest` open any more.
   */
  async copy(source: string, dest: string, opts: CopyOptions = {}): Promise<CopyResult> {
    const req = {
      op: 'copy' as const,
      id: this.nextId++,
      source,
      dest,
      chunkBytes: CHUNK_BYTES,
      expected: opts.expected ?? null,
      sliceBytes: opts.sliceBytes ?? SLICE_BYTES,
      reportSlices: opts.reread === true,
    };
    if (!opts.reread) return this.request('copier', req, opts);

    let copyDone = false;
    let rereadBytes = 0;
    const rereadId = this.nextId++;
    const reread = this.request(
      'rereader',
      { op: 'rereadStart', id: rereadId, path: dest, chunkBytes: HASH_CHUNK_BYTES },
      {
        signal: opts.signal,
        onProgress: (bytes) => {
          rereadBytes = bytes;
          if (copyDone) opts.onRereadProgress?.(bytes);
        },
      },
    );
    reread.catch(() => undefined);
    // Slices are handed over in order, each after the test seam (if any) has run for it.
    let handover: Promise<void> = Promise.resolve();
    let flushedUpTo = 0;
    const onFlushed = (bytes: number, last: boolean): void => {
      const slice: FlushedSlice = { start: flushedUpTo, end: bytes, last };
      flushedUpTo = bytes;
      handover = handover.then(async () => {
        await opts.beforeReread?.(dest, slice);
        this.post('rereader', { op: slice.last ? 'rereadEnd' : 'rereadTo', id: rereadId, bytes: slice.end });
      });
    };
    let copied: HashResult;
    try {
      copied = await this.request('copier', req, { ...opts, onFlushed });
      copyDone = true;
      opts.onRereadProgress?.(rereadBytes);
      await handover;
    } catch (error) {
      // The re-read still has the copy open: it must close it before the caller removes the file.
      await handover.catch(() => undefined);
      this.post('rereader', { op: 'rereadDrop', id: rereadId });
      await reread.catch(() => undefined);
      throw error;
    }
    try {
      return { ...copied, reread: await reread };
    } catch (error) {
      if (error instanceof HashCopyError)
        throw new HashCopyError('storeError', error.code, `reading the copy back: ${error.message}`);
      throw error;
    }
  }

  hash(path: string, opts: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<HashResult> {
    return this.request('copier', { op: 'hash', id: this.nextId++, path, chunkBytes: HASH_CHUNK_BYTES }, opts);
  }

  async close(): Promise<void> {
    await this.endWorkers(new HashCopyAbortedError());
  }

  /**
   * Starts the copying worker ahead of the first request, and with `reread` the second one too,
   * so an import does not wait for them; an idle worker does not keep the process alive.
   */
  prestart(opts: { reread?: boolean } = {}): void {
    this.ensureWorker('copier').unref();
    if (opts.reread) this.ensureWorker('rereader').unref();
  }

  /** Ends every worker, then fails what was pending: requests fail only once their files are closed. */
  private async endWorkers(error: Error): Promise<void> {
    // A read-back is asked to stop rather than cut off: it opens the copy on the thread pool when
    // the first slice is flushed, and a file whose open completes after its worker has ended is
    // never closed (it would keep a removed copy's blocks, or the store's volume busy).
    const rereader = this.workers.get('rereader');
    const rereads = [...this.pending].filter(([, p]) => p.role === 'rereader');
    if (rereader && rereads.length > 0) {
      for (const [id] of rereads) rereader.postMessage({ op: 'rereadDrop', id } satisfies HashCopyRequest);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(rereads.map(([, p]) => p.answered)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_REREAD_WAIT_MS);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    }
    const workers = [...this.workers.values()];
    this.workers.clear();
    const orphaned = [...this.pending.values()];
    this.pending.clear();
    // Its requests fail only once the worker has ended, with the files it had open: a cancelled
    // import's record then never precedes the release of the source (a camera may be unplugged).
    await Promise.all(workers.map((w) => w.terminate()));
    for (const p of orphaned) p.reject(error);
  }

  private post(role: WorkerRole, req: HashCopyRequest): void {
    this.workers.get(role)?.postMessage(req);
  }

  private request(
    role: WorkerRole,
    req: HashCopyRequest,
    opts: {
      signal?: AbortSignal | undefined;
      onProgress?: ((bytes: number) => void) | undefined;
      onFlushed?: (bytes: number, last: boolean) => void;
    },
  ): Promise<HashResult> {
    if (opts.signal?.aborted) return Promise.reject(new HashCopyAbortedError());
    const { id } = req;
    const worker = this.ensureWorker(role);
    let markAnswered: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (markAnswered = resolve));
    return new Promise<HashResult>((resolve, reject) => {
      const onAbort = (): void => {
        void this.close();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (r) => {
          opts.signal?.removeEventListener('abort', onAbort);
          markAnswered();
          resolve(r);
        },
        reject: (e) => {
          opts.signal?.removeEventListener('abort', onAbort);
          markAnswered();
          reject(e);
        },
        answered,
        onProgress: opts.onProgress,
        onFlushed: opts.onFlushed,
        role,
      });
      // Keep the process alive only while work is pending, so an idle station can exit.
      worker.ref();
      worker.postMessage(req);
    });
  }

  private ensureWorker(role: WorkerRole): Worker {
    const running = this.workers.get(role);
    if (running) return running;
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
      if (msg.type === 'flushed') {
        p.onFlushed?.(msg.bytes, msg.last);
        return;
      }
      this.pending.delete(msg.id);
      if (![...this.pending.values()].some((q) => q.role === role)) worker.unref();
      if (msg.type === 'done') p.resolve({ sha256: msg.sha256, bytes: msg.bytes });
      else p.reject(new HashCopyError(msg.kind, msg.code, msg.message));
    });
    // A worker ended by close() has already failed its requests; its late exit event must not
    // fail the requests of the workers that replaced it. A worker that fails on its own takes
    // the other one with it: a copy whose re-read is gone cannot be finished.
    worker.on('error', (error) => {
      if (this.workers.get(role) !== worker) return;
      void this.endWorkers(error);
    });
    worker.on('exit', () => {
      if (this.workers.get(role) !== worker) return;
      void this.endWorkers(new HashCopyAbortedError());
    });
    this.workers.set(role, worker);
    return worker;
  }
}
