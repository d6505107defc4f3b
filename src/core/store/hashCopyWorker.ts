import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { FailureKind, HashCopyRequest, HashCopyResponse } from './hashCopyProtocol';
import { DirectFileWriter, alignedBuffers, openForDirectRead } from './directIo';
import { SourceOpenError, openSource } from './openSource';

/**
 * Reads a source exactly once, hashing each chunk while it is written to the destination, with
 * the next read and the previous write in flight on the thread pool while this thread hashes.
 * Three buffers rotate so a buffer is never refilled before its write has finished.
 */

const PROGRESS_EVERY_BYTES = 32 * 1024 * 1024;
/**
 * Written data is flushed to the disk in slices while the copy goes on, so that the flush of one
 * slice overlaps the reading and hashing of the next instead of all of it waiting at the end.
 */
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;

class SourceChangedError extends Error {
  constructor(
    readonly kind: 'vanished' | 'changedDuringRead',
    message: string,
  ) {
    super(message);
  }
}

function post(message: HashCopyResponse): void {
  parentPort?.postMessage(message);
}

function classify(error: unknown, writing: boolean): FailureKind {
  if (error instanceof SourceChangedError || error instanceof SourceOpenError) return error.kind;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'diskFull';
    case 'ENOENT':
      return writing ? 'storeError' : 'vanished';
    case 'EACCES':
    case 'EPERM':
      return writing ? 'storeError' : 'permissionDenied';
    case 'EIO':
    case 'ENXIO':
    case 'ENODEV':
    case 'ESTALE':
      return writing ? 'storeError' : 'unreadable';
    default:
      return writing ? 'storeError' : 'unreadable';
  }
}

async function copyAndHash(req: Extract<HashCopyRequest, { op: 'copy' }>): Promise<void> {
  let phaseWriting = false;
  let src: FileHandle | undefined;
  let dst: DirectFileWriter | undefined;
  let result: HashCopyResponse;
  // Reads and writes still in flight when something fails; settled before the files are closed.
  let pendingRead: Promise<unknown> = Promise.resolve();
  let pendingWrite: Promise<unknown> = Promise.resolve();
  let pendingSync: Promise<unknown> = Promise.resolve();
  try {
    src = await openSource(req.source, req.expected);
    const before = await src.stat();
    phaseWriting = true;
    dst = await DirectFileWriter.create(req.dest);
    phaseWriting = false;
    const hash = createHash('sha256');
    const buffers = alignedBuffers(3, req.chunkBytes);
    let position = 0;
    let nextProgress = PROGRESS_EVERY_BYTES;
    let nextSync = SYNC_EVERY_BYTES;
    let i = 0;
    const source = src;
    const dest = dst;
    let nextRead = source.read(buffers[0]!, 0, req.chunkBytes, 0);
    pendingRead = nextRead;
    for (;;) {
      const { bytesRead } = await nextRead;
      if (bytesRead === 0) break;
      const current = buffers[i % 3]!;
      const readAt = position + bytesRead;
      nextRead = source.read(buffers[(i + 1) % 3]!, 0, req.chunkBytes, readAt);
      nextRead.catch(() => undefined);
      pendingRead = nextRead;
      hash.update(current.subarray(0, bytesRead));
      phaseWriting = true;
      await pendingWrite;
      pendingWrite = dest.write(current, bytesRead, position);
      // Awaited on the next turn; until then a rejection (ENOSPC) must not count as unhandled,
      // which would end the worker instead of failing this copy as diskFull.
      pendingWrite.catch(() => undefined);
      phaseWriting = false;
      position = readAt;
      i++;
      if (position >= nextProgress) {
        post({ type: 'progress', id: req.id, bytes: position });
        nextProgress = position + PROGRESS_EVERY_BYTES;
      }
      if (position >= nextSync) {
        // One flush in flight at a time: waiting for the previous one bounds the dirty data.
        phaseWriting = true;
        await pendingSync;
        await pendingWrite;
        pendingSync = dest.datasync();
        pendingSync.catch(() => undefined);
        phaseWriting = false;
        nextSync = position + SYNC_EVERY_BYTES;
      }
    }
    phaseWriting = true;
    await pendingWrite;
    await pendingSync;
    await dest.sync();
    phaseWriting = false;
    const after = await source.stat();
    if (position !== before.size) {
      throw new SourceChangedError(
        position < before.size ? 'vanished' : 'changedDuringRead',
        `read ${position} bytes of a file that was ${before.size} bytes when opened`,
      );
    }
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs) {
      throw new SourceChangedError('changedDuringRead', 'the file changed while it was being read');
    }
    result = { type: 'done', id: req.id, sha256: hash.digest('hex'), bytes: position };
  } catch (error) {
    result = {
      type: 'error',
      id: req.id,
      kind: classify(error, phaseWriting),
      code: (error as NodeJS.ErrnoException).code ?? null,
      message: (error as Error).message,
    };
  } finally {
    await Promise.allSettled([pendingRead, pendingWrite, pendingSync]);
    await src?.close().catch(() => undefined);
    await dst?.close().catch(() => undefined);
  }
  // Only now, with both files closed: the caller removes or renames the destination at once, and
  // an unlinked file still open here would keep its blocks (a full disk stays full) and cannot
  // be renamed on Windows.
  post(result);
}

async function hashFile(req: Extract<HashCopyRequest, { op: 'hash' }>): Promise<void> {
  let handle: FileHandle | undefined;
  let result: HashCopyResponse;
  try {
    handle = await openForDirectRead(req.path);
    const hash = createHash('sha256');
    // Two reads stay in flight while a third buffer is hashed: a direct read waits for the disk,
    // so one request at a time would leave the disk idle while this thread hashes.
    const buffers = alignedBuffers(3, req.chunkBytes);
    const file = handle;
    const readAt = (slot: number, at: number) => file.read(buffers[slot % 3]!, 0, req.chunkBytes, at);
    const inFlight = [readAt(0, 0), readAt(1, req.chunkBytes)];
    inFlight.forEach((p) => p.catch(() => undefined));
    let position = 0;
    let i = 0;
    let nextProgress = PROGRESS_EVERY_BYTES;
    for (;;) {
      const { bytesRead } = await inFlight.shift()!;
      if (bytesRead === 0) break;
      // A regular file returns fewer bytes than asked for only at its end.
      const atEnd = bytesRead < req.chunkBytes;
      if (!atEnd) {
        const next = readAt(i + 2, (i + 2) * req.chunkBytes);
        next.catch(() => undefined);
        inFlight.push(next);
      }
      hash.update(buffers[i % 3]!.subarray(0, bytesRead));
      position += bytesRead;
      if (atEnd) break;
      i++;
      if (position >= nextProgress) {
        post({ type: 'progress', id: req.id, bytes: position });
        nextProgress = position + PROGRESS_EVERY_BYTES;
      }
    }
    await Promise.allSettled(inFlight);
    result = { type: 'done', id: req.id, sha256: hash.digest('hex'), bytes: position };
  } catch (error) {
    result = {
      type: 'error',
      id: req.id,
      kind: classify(error, false),
      code: (error as NodeJS.ErrnoException).code ?? null,
      message: (error as Error).message,
    };
  } finally {
    await handle?.close().catch(() => undefined);
  }
  post(result);
}

parentPort?.on('message', (req: HashCopyRequest) => {
  void (req.op === 'copy' ? copyAndHash(req) : hashFile(req));
});
