// Type-only imports: erased at compile time, so the function below still refers to nothing outside itself.
import type * as Crypto from 'node:crypto';
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import type * as WorkerThreads from 'node:worker_threads';
import type { RangeHashRequest, RangeHashResponse } from './rangeHashProtocol';
import { evalWorkerSource } from '../workers/evalWorkerSource';

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

  // Windows has neither flag; there a link or a pipe swapped in cannot block a read the same way.
  const O_NOFOLLOW: number = fs.constants.O_NOFOLLOW ?? 0;
  const O_NONBLOCK: number = fs.constants.O_NONBLOCK ?? 0;
  const GUARDED = fs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK;

  const refused = (code: string, message: string): NodeJS.ErrnoException => {
    const error = new Error(message) as NodeJS.ErrnoException;
    error.code = code;
    return error;
  };

  /**
   * The file was listed by name before this worker opens it by name: in between, a FIFO, a
   * device or a link may be put in its place. So it is opened without following a link and
   * without blocking (a FIFO would otherwise hold this thread until someone writes to it), and
   * the handle, not the name, is checked: a regular file, the one listed. As `openSource` in
   * the store does; repeated here because this worker may use nothing outside itself.
   */
  const checkOpened = (info: Fs.BigIntStats, req: RangeHashRequest): void => {
    if (!info.isFile()) throw refused('ENOTREG', 'not a regular file when opened; not read');
    const e = req.expect;
    if (!e) return;
    if ((e.dev !== undefined && String(info.dev) !== e.dev) || (e.ino !== undefined && String(info.ino) !== e.ino))
      throw refused('EREPLACED', 'another file is in place of the one listed; not read');
    if (Number(info.size) !== e.size)
      throw refused('ECHANGED', `the file is ${String(info.size)} bytes now, ${e.size} when listed; not read`);
  };

  // Looked at first, so that a FIFO already in place is not even opened (a writer waiting on it
  // would then go ahead); one swapped in after this look is refused on the opened handle.
  const lookFirst = (req: RangeHashRequest): void => {
    if (!fs.lstatSync(req.path).isFile()) throw refused('ENOTREG', 'no longer a regular file; not read');
  };

  const linkRefused = (error: unknown): unknown => {
    // Linux and macOS answer ELOOP for a link under O_NOFOLLOW; the BSDs EMLINK.
    const code = (error as NodeJS.ErrnoException).code;
    return O_NOFOLLOW && (code === 'ELOOP' || code === 'EMLINK')
      ? refused('ELOOP', 'a symbolic link is in place of the file; not followed')
      : error;
  };

  const openChecked = async (req: RangeHashRequest): Promise<FsPromises.FileHandle> => {
    lookFirst(req);
    let handle: FsPromises.FileHandle | undefined;
    if (req.direct && O_DIRECT) {
      try {
        handle = await fsp.open(req.path, GUARDED | O_DIRECT);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw linkRefused(error);
      }
    }
    try {
      handle ??= await fsp.open(req.path, GUARDED);
    } catch (error) {
      throw linkRefused(error);
    }
    try {
      checkOpened(await handle.stat({ bigint: true }), req);
      return handle;
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw error;
    }
  };

  const openCheckedSync = (req: RangeHashRequest): number => {
    lookFirst(req);
    let fd: number;
    try {
      fd = fs.openSync(req.path, GUARDED);
    } catch (error) {
      throw linkRefused(error);
    }
    try {
      checkOpened(fs.fstatSync(fd, { bigint: true }), req);
      return fd;
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
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
      fd = openCheckedSync(req);
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
      handle = await openChecked(req);
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

/** The worker's source text (see `evalWorkerSource`). */
export function rangeHashWorkerSource(): string {
  return evalWorkerSource(rangeHashWorkerMain);
}
