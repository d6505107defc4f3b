// Type-only imports: erased at compile time, so the function below still refers to nothing outside itself.
import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as WorkerThreads from 'node:worker_threads';
import type { RangeHashRequest, RangeHashResponse } from './rangeHashProtocol';

/**
 * The hashing worker's whole program, started from its own source text (`new Worker(code,
 * { eval: true })`) rather than from a module file: a worker that runs a TypeScript module from
 * source must first load the TypeScript loader, which costs more than hashing a gigabyte, and
 * verify starts its workers on every call. So this function must be self-contained: it may use
 * only `require` of Node's own modules and what it defines inside itself.
 *
 * It hashes one byte range of a file per request: a whole payload file, or a stored entry inside
 * a zip. Direct reads (past the page cache) wait for the disk, so two stay in flight while a third
 * buffer is hashed and the disk and the hash work at the same time; they start on an aligned
 * offset and skip the bytes before the range, and where the file system refuses direct I/O, plain
 * reads are used. Plain reads come from the page cache and are done on this thread (see
 * `hashRangeSync`).
 */
export function rangeHashWorkerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort } = require('node:worker_threads') as typeof WorkerThreads;
  const { createHash } = require('node:crypto') as typeof Crypto;
  const fs = require('node:fs') as typeof Fs;
  const fsp = require('node:fs/promises') as typeof FsPromises;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const ALIGN = 4096;
  const WASM_PAGE = 65536;
  const PROGRESS_EVERY = 32 * 1024 * 1024;
  const O_DIRECT: number = fs.constants.O_DIRECT ?? 0;
  const Memory = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }
  ).WebAssembly.Memory;
  const pools = new Map<number, Buffer[]>();

  // Page-aligned buffers (WebAssembly memory is mapped by whole pages), as direct I/O requires.
  const buffersFor = (chunk: number): Buffer[] => {
    let bufs = pools.get(chunk);
    if (!bufs) {
      const size = Math.ceil(chunk / WASM_PAGE) * WASM_PAGE;
      const memory = new Memory({ initial: (size * 3) / WASM_PAGE });
      bufs = [0, 1, 2].map((i) => Buffer.from(memory.buffer, i * size, chunk));
      pools.set(chunk, bufs);
    }
    return bufs;
  };

  const openFor = async (path: string, direct: boolean): Promise<FsPromises.FileHandle> => {
    if (direct && O_DIRECT) {
      try {
        return await fsp.open(path, fs.constants.O_RDONLY | O_DIRECT);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
      }
    }
    return fsp.open(path, 'r');
  };

  const post = (message: RangeHashResponse): void => parentPort!.postMessage(message);

  /**
   * Plain reads, one after another on this thread. From the page cache a read is a memory copy:
   * done here, the bytes are still in this core's cache when they are hashed, whereas a read on
   * the thread pool copies them on another core (the one the other worker needs) and hands them
   * over. Measured with two workers hashing two files on two cores: about a fifth less CPU time
   * than three buffers of asynchronous reads. A file not in the page cache still streams: the
   * kernel's readahead keeps the device reading while this thread hashes.
   */
  const hashRangeSync = (req: RangeHashRequest): RangeHashResponse => {
    let fd: number | undefined;
    try {
      // Non-blocking: a FIFO swapped in for a file fails its read instead of holding this thread.
      fd = fs.openSync(req.path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
      const buf = Buffer.allocUnsafeSlow(req.chunkBytes);
      const hash = createHash('sha256');
      const end = req.start + req.length;
      let at = req.start;
      let nextProgress = req.start + PROGRESS_EVERY;
      while (at < end) {
        const bytesRead = fs.readSync(fd, buf, 0, Math.min(req.chunkBytes, end - at), at);
        if (bytesRead === 0) break;
        hash.update(buf.subarray(0, bytesRead));
        at += bytesRead;
        if (at >= nextProgress) {
          post({ type: 'progress', id: req.id, bytes: at - req.start });
          nextProgress = at + PROGRESS_EVERY;
        }
      }
      if (at < end) {
        const error = new Error(`the file ends ${end - at} bytes early`) as NodeJS.ErrnoException;
        error.code = 'ESHORT';
        throw error;
      }
      return { type: 'done', id: req.id, sha256: hash.digest('hex'), bytes: req.length };
    } catch (error) {
      return {
        type: 'error',
        id: req.id,
        code: (error as NodeJS.ErrnoException).code ?? null,
        message: (error as Error).message,
      };
    } finally {
      if (fd !== undefined) {
        try {
          fs.closeSync(fd);
        } catch {
          // The result stands: the bytes were read, or the failure is already what is reported.
        }
      }
    }
  };

  const hashRange = async (req: RangeHashRequest): Promise<void> => {
    let handle: FsPromises.FileHandle | undefined;
    let result: RangeHashResponse;
    const inFlight: Array<Promise<{ bytesRead: number }>> = [];
    try {
      handle = await openFor(req.path, req.direct);
      const file = handle;
      const base = req.direct ? Math.floor(req.start / ALIGN) * ALIGN : req.start;
      const end = req.start + req.length;
      const chunk = req.chunkBytes;
      const bufs = buffersFor(chunk);
      const hash = createHash('sha256');
      let hashed = 0;
      let nextProgress = PROGRESS_EVERY;
      let slot = 0;
      let issued = 0;
      const issue = (): void => {
        if (base + issued * chunk >= end) return;
        const p = file.read(bufs[issued % 3]!, 0, chunk, base + issued * chunk);
        p.catch(() => undefined);
        inFlight.push(p);
        issued++;
      };
      issue();
      issue();
      while (inFlight.length > 0) {
        const { bytesRead } = await inFlight.shift()!;
        const at = base + slot * chunk;
        const from = Math.max(req.start, at) - at;
        const to = Math.min(end, at + bytesRead) - at;
        if (to > from) {
          hash.update(bufs[slot % 3]!.subarray(from, to));
          hashed += to - from;
        }
        slot++;
        // A short read is the end of the file: whatever the range still lacks is missing.
        if (bytesRead < chunk) break;
        issue();
        if (hashed >= nextProgress) {
          post({ type: 'progress', id: req.id, bytes: hashed });
          nextProgress = hashed + PROGRESS_EVERY;
        }
      }
      if (hashed < req.length) {
        const error = new Error(`the file ends ${req.length - hashed} bytes early`) as NodeJS.ErrnoException;
        error.code = 'ESHORT';
        throw error;
      }
      result = { type: 'done', id: req.id, sha256: hash.digest('hex'), bytes: hashed };
    } catch (error) {
      result = {
        type: 'error',
        id: req.id,
        code: (error as NodeJS.ErrnoException).code ?? null,
        message: (error as Error).message,
      };
    } finally {
      await Promise.allSettled(inFlight);
      await handle?.close().catch(() => undefined);
    }
    post(result);
  };

  parentPort!.on('message', (req: RangeHashRequest) => {
    if (req.direct) void hashRange(req);
    else post(hashRangeSync(req));
  });
}

/**
 * The worker's source text. Compilers that keep function names (esbuild's keepNames, used when
 * running from source) call a `__name` helper inside function bodies; the worker gets its own.
 */
export function rangeHashWorkerSource(): string {
  return `var __name = (fn) => fn;\n(${rangeHashWorkerMain.toString()})();\n`;
}
