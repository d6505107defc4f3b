// Type-only imports: erased at compile time, so the function below still refers to nothing outside itself.
import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as WorkerThreads from 'node:worker_threads';
import type { ReadBackRequest, ReadBackResponse } from './readBackProtocol';
import { evalWorkerSource } from '../workers/evalWorkerSource';

/**
 * The read-back worker's whole program, started from its own source text (as the range hashing
 * workers are, and for the same reason: no TypeScript loader to start), so it may use only
 * `require` of Node's own modules and what it defines inside itself.
 *
 * It reads back files while they are being written to the export medium and hashes them: each
 * file from its start, in the order announced, but only as far as the writer says it has
 * written and flushed (`written`), until the writer says it is complete. Reads are direct (past
 * the page cache) where the file system allows it, so the hash is of what the medium returns.
 */
export function readBackWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof WorkerThreads;
  const { createHash } = require('node:crypto') as typeof Crypto;
  const fs = require('node:fs') as typeof Fs;
  const fsp = require('node:fs/promises') as typeof FsPromises;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { chunkBytes, direct } = workerData as { chunkBytes: number; direct: boolean };
  const WASM_PAGE = 65536;
  const O_DIRECT: number = fs.constants.O_DIRECT ?? 0;
  const Memory = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }
  ).WebAssembly.Memory;
  // Page-aligned (WebAssembly memory is mapped by whole pages), as direct I/O requires.
  const size = Math.ceil(chunkBytes / WASM_PAGE) * WASM_PAGE;
  const memory = new Memory({ initial: (size * 2) / WASM_PAGE });
  const bufs = [0, 1].map((i) => Buffer.from(memory.buffer, i * size, chunkBytes));

  interface FileState {
    id: number;
    path: string;
    /** Bytes written and flushed so far. */
    written: number;
    /** The file's final size, once the writer is done with it. */
    complete: number | null;
  }
  const files = new Map<number, FileState>();
  const order: number[] = [];
  let wake: (() => void) | null = null;
  const nudge = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const changed = (): Promise<void> =>
    new Promise<void>((resolve) => {
      wake = resolve;
    });
  const post = (message: ReadBackResponse): void => parentPort!.postMessage(message);

  // Windows has neither flag; there a link or a pipe swapped in cannot block a read the same way.
  const GUARDED = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

  /**
   * The file is opened again by name on a medium someone else may hold: a link or a FIFO put in
   * its place must be refused, never followed or waited on (a FIFO would hold this thread until
   * someone writes to it), and the handle, not the name, is checked to be a regular file.
   */
  const openFor = async (path: string): Promise<FsPromises.FileHandle> => {
    let handle: FsPromises.FileHandle | undefined;
    try {
      if (direct && O_DIRECT) {
        try {
          handle = await fsp.open(path, GUARDED | O_DIRECT);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
        }
      }
      handle ??= await fsp.open(path, GUARDED);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ELOOP' && code !== 'EMLINK') throw error;
      const refused = new Error('a symbolic link is in place of the file; not followed') as NodeJS.ErrnoException;
      refused.code = 'ELOOP';
      throw refused;
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close().catch(() => undefined);
      const refused = new Error('not a regular file when opened; not read') as NodeJS.ErrnoException;
      refused.code = 'ENOTREG';
      throw refused;
    }
    return handle;
  };

  /** How far the reader may go now: whole chunks within what is flushed, or the end once complete. */
  const limitOf = (f: FileState): number =>
    f.complete !== null ? f.complete : Math.floor(f.written / chunkBytes) * chunkBytes;

  const readBack = async (f: FileState): Promise<void> => {
    let handle: FsPromises.FileHandle | undefined;
    let result: ReadBackResponse;
    let pending: Promise<{ bytesRead: number }> | null = null;
    try {
      // The writer announces a file before it creates it: opened only once the writer says it
      // has written some of it (or all, for an empty file), never while the name may not exist.
      while (f.written === 0 && f.complete === null) await changed();
      handle = await openFor(f.path);
      const file = handle;
      const hash = createHash('sha256');
      let position = 0;
      let slot = 0;
      const issue = (): Promise<{ bytesRead: number }> | null => {
        if (position >= limitOf(f)) return null;
        const p = file.read(bufs[slot % 2]!, 0, chunkBytes, position);
        p.catch(() => undefined);
        return p;
      };
      for (;;) {
        pending ??= issue();
        if (!pending) {
          if (f.complete !== null && position >= f.complete) break;
          await changed();
          continue;
        }
        const { bytesRead } = await pending;
        const current = bufs[slot % 2]!;
        const end = f.complete ?? Infinity;
        const take = Math.min(bytesRead, end - position);
        position += bytesRead;
        slot++;
        // A short read before the end the writer announced: the medium holds less than was written.
        if (bytesRead < chunkBytes && (f.complete === null || position < f.complete)) {
          const error = new Error(`read back ${position} bytes of a file written longer`) as NodeJS.ErrnoException;
          error.code = 'ESHORT';
          throw error;
        }
        // The next read goes out before this chunk is hashed, so the medium and the hash work together.
        pending = issue();
        hash.update(current.subarray(0, take));
        post({ type: 'progress', id: f.id, bytes: position });
        if (f.complete !== null && position >= f.complete && !pending) break;
      }
      if (position !== f.complete) {
        const error = new Error(`read back ${position} bytes of a file of ${f.complete}`) as NodeJS.ErrnoException;
        error.code = 'ESHORT';
        throw error;
      }
      result = { type: 'done', id: f.id, sha256: hash.digest('hex'), bytes: position };
    } catch (error) {
      result = {
        type: 'error',
        id: f.id,
        code: (error as NodeJS.ErrnoException).code ?? null,
        message: (error as Error).message,
      };
    } finally {
      if (pending) await Promise.allSettled([pending]);
      await handle?.close().catch(() => undefined);
    }
    files.delete(f.id);
    post(result);
  };

  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    for (let id = order.shift(); id !== undefined; id = order.shift()) await readBack(files.get(id)!);
    running = false;
  };

  parentPort!.on('message', (req: ReadBackRequest) => {
    if (req.type === 'file') {
      files.set(req.id, { id: req.id, path: req.path, written: 0, complete: null });
      order.push(req.id);
      void run();
      return;
    }
    const f = files.get(req.id);
    if (!f) return;
    if (req.type === 'written') f.written = Math.max(f.written, req.bytes);
    else f.complete = req.bytes;
    nudge();
  });
}

/** The worker's source text (see `evalWorkerSource`). */
export function readBackWorkerSource(): string {
  return evalWorkerSource(readBackWorkerMain);
}
