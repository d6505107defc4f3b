import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { DIRECT_ALIGNMENT, alignedBuffers, openForDirectRead } from '../store/directIo';
import type { RangeHashRequest, RangeHashResponse } from './rangeHashProtocol';

/**
 * Hashes one byte range of a file: a whole payload file, or a stored entry inside a zip. Two
 * reads stay in flight while this thread hashes a third buffer, so the disk and the hash work at
 * the same time. Direct reads start on an aligned offset and skip the bytes before the range.
 */

const PROGRESS_EVERY_BYTES = 32 * 1024 * 1024;
const buffersBySize = new Map<number, Buffer[]>();

function post(message: RangeHashResponse): void {
  parentPort?.postMessage(message);
}

async function hashRange(req: RangeHashRequest): Promise<void> {
  let handle: FileHandle | undefined;
  let result: RangeHashResponse;
  const inFlight: Array<Promise<{ bytesRead: number }>> = [];
  try {
    handle = req.direct ? await openForDirectRead(req.path) : await open(req.path, 'r');
    const file = handle;
    const base = req.direct ? Math.floor(req.start / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT : req.start;
    const end = req.start + req.length;
    const chunk = req.chunkBytes;
    let buffers = buffersBySize.get(chunk);
    if (!buffers) {
      buffers = alignedBuffers(3, chunk);
      buffersBySize.set(chunk, buffers);
    }
    const bufs = buffers;
    const readAt = (slot: number): Promise<{ bytesRead: number }> => {
      const p = file.read(bufs[slot % 3]!, 0, chunk, base + slot * chunk);
      p.catch(() => undefined);
      return p;
    };
    const hash = createHash('sha256');
    let hashed = 0;
    let nextProgress = PROGRESS_EVERY_BYTES;
    let slot = 0;
    let issued = 0;
    const issue = (): void => {
      if (base + issued * chunk < end) inFlight.push(readAt(issued++));
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
      // A short read is the end of the file: what is missing of the range is missing.
      if (bytesRead < chunk) break;
      issue();
      if (hashed >= nextProgress) {
        post({ type: 'progress', id: req.id, bytes: hashed });
        nextProgress = hashed + PROGRESS_EVERY_BYTES;
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
}

parentPort?.on('message', (req: RangeHashRequest) => {
  void hashRange(req);
});
