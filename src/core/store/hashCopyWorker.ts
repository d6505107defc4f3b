import { parentPort } from 'node:worker_threads';
import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { FailureKind, HashCopyRequest, HashCopyResponse } from './hashCopyProtocol';
import {
  DIRECT_ALIGNMENT,
  DirectFileWriter,
  borrowAlignedBuffers,
  openForDirectRead,
  returnAlignedBuffers,
} from './directIo';
import { SourceOpenError, openSource } from './openSource';

/**
 * Reads a source exactly once, hashing each chunk while it is written to the destination, with
 * the next read and the previous write in flight on the thread pool while this thread hashes.
 * Three buffers rotate so a buffer is never refilled before its write has finished.
 *
 * A second instance of this worker re-reads a copy as it is made (`reread*` requests): each slice
 * the copying worker has flushed is read back from the disk and hashed here, on the other core.
 */

const PROGRESS_EVERY_BYTES = 32 * 1024 * 1024;

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
  let buffers: Buffer[] | undefined;
  try {
    src = await openSource(req.source, req.expected);
    const before = await src.stat();
    phaseWriting = true;
    dst = await DirectFileWriter.create(req.dest);
    phaseWriting = false;
    const hash = createHash('sha256');
    const rotating = borrowAlignedBuffers(3, req.chunkBytes);
    buffers = rotating;
    let position = 0;
    let nextProgress = PROGRESS_EVERY_BYTES;
    // Written data is flushed to the disk in slices while the copy goes on, so that the flush of
    // one slice overlaps the reading and hashing of the next instead of all of it waiting at the
    // end, and so that a slice can be re-read from the disk while the next is copied.
    let nextSync = req.sliceBytes;
    let i = 0;
    const source = src;
    const dest = dst;
    let nextRead = source.read(rotating[0]!, 0, req.chunkBytes, 0);
    pendingRead = nextRead;
    for (;;) {
      const { bytesRead } = await nextRead;
      if (bytesRead === 0) break;
      const current = rotating[i % 3]!;
      const readAt = position + bytesRead;
      nextRead = source.read(rotating[(i + 1) % 3]!, 0, req.chunkBytes, readAt);
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
        const flushedUpTo = position;
        pendingSync = dest.datasync().then(() => {
          if (req.reportSlices) post({ type: 'flushed', id: req.id, bytes: flushedUpTo, last: false });
        });
        pendingSync.catch(() => undefined);
        phaseWriting = false;
        nextSync = position + req.sliceBytes;
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
    // Only a copy of the whole, unchanged source has a last slice worth re-reading.
    if (req.reportSlices) post({ type: 'flushed', id: req.id, bytes: position, last: true });
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
    if (buffers) returnAlignedBuffers(buffers);
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
    const buffers = borrowAlignedBuffers(3, req.chunkBytes);
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
    // Only on this path are no reads left in flight on them; a failed hash leaves its set to the GC.
    returnAlignedBuffers(buffers);
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

/** A copy being re-read slice by slice, in order, as the copying worker flushes it. */
interface Reread {
  path: string;
  chunkBytes: number;
  handle: FileHandle | null;
  buffers: Buffer[];
  hash: Hash;
  /** Bytes read back and hashed so far, from the start of the file. */
  position: number;
  nextProgress: number;
  /** The steps run one after another: each waits for the one before. */
  tail: Promise<void>;
  failure: { error: unknown } | null;
  dropped: boolean;
  /** End or drop already asked for: the one answer is on its way. */
  ending: boolean;
}

const rereads = new Map<number, Reread>();

function rereadStep(id: number, step: (r: Reread) => Promise<void>): void {
  const r = rereads.get(id);
  if (!r) return;
  r.tail = r.tail.then(async () => {
    if (r.failure || r.dropped) return;
    try {
      await step(r);
    } catch (error) {
      r.failure = { error };
    }
  });
}

/**
 * Reads the copy back from the disk (direct I/O, so not from the page cache) from where the
 * re-read is up to `upTo`, and hashes it. Reads start on an aligned offset and never go past the
 * aligned end of the flushed bytes; two stay in flight while a third buffer is hashed.
 */
async function rereadUpTo(id: number, r: Reread, upTo: number): Promise<void> {
  if (upTo <= r.position) return;
  r.handle ??= await openForDirectRead(r.path);
  const file = r.handle;
  const start = r.position;
  const limit = Math.ceil(upTo / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
  let next = Math.floor(start / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
  let slot = 0;
  const reads: Array<{ at: number; length: number; buffer: Buffer; done: Promise<{ bytesRead: number }> }> = [];
  const issue = (): void => {
    if (next >= limit) return;
    const length = Math.min(r.chunkBytes, limit - next);
    const buffer = r.buffers[slot++ % 3]!;
    const done = file.read(buffer, 0, length, next);
    done.catch(() => undefined);
    reads.push({ at: next, length, buffer, done });
    next += length;
  };
  try {
    issue();
    issue();
    while (reads.length > 0) {
      const { at, length, buffer, done } = reads.shift()!;
      const { bytesRead } = await done;
      // A short read is the end of the file: the copy holds fewer bytes than were flushed, which
      // the caller sees in the byte count.
      if (bytesRead === length) issue();
      const from = Math.max(start, at) - at;
      const to = Math.min(upTo, at + bytesRead) - at;
      if (to > from) {
        r.hash.update(buffer.subarray(from, to));
        r.position = at + to;
      }
      if (r.position >= r.nextProgress) {
        post({ type: 'progress', id, bytes: r.position });
        r.nextProgress = r.position + PROGRESS_EVERY_BYTES;
      }
      if (bytesRead < length) break;
    }
  } finally {
    await Promise.allSettled(reads.map((x) => x.done));
  }
}

/** Ends a re-read: with `bytes`, after reading up to there; with null, at once (dropped). */
function endReread(id: number, bytes: number | null): void {
  const r = rereads.get(id);
  if (!r) return;
  // Steps not yet started see this and do nothing; the one running finishes first.
  if (bytes === null) r.dropped = true;
  if (r.ending) return;
  r.ending = true;
  if (bytes !== null) rereadStep(id, (x) => rereadUpTo(id, x, bytes));
  void r.tail.then(async () => {
    rereads.delete(id);
    // Every step has settled its reads before it ended (`rereadUpTo`'s finally).
    returnAlignedBuffers(r.buffers);
    await r.handle?.close().catch(() => undefined);
    // Answered only once the file is closed: the caller then renames or removes it at once.
    if (r.failure) {
      const error = r.failure.error;
      post({
        type: 'error',
        id,
        kind: 'storeError',
        code: (error as NodeJS.ErrnoException).code ?? null,
        message: (error as Error).message,
      });
    } else if (r.dropped) {
      post({ type: 'error', id, kind: 'storeError', code: null, message: 'the re-read was stopped' });
    } else {
      post({ type: 'done', id, sha256: r.hash.digest('hex'), bytes: r.position });
    }
  });
}

parentPort?.on('message', (req: HashCopyRequest) => {
  switch (req.op) {
    case 'copy':
      void copyAndHash(req);
      return;
    case 'hash':
      void hashFile(req);
      return;
    case 'rereadStart':
      rereads.set(req.id, {
        path: req.path,
        chunkBytes: req.chunkBytes,
        handle: null,
        buffers: borrowAlignedBuffers(3, req.chunkBytes),
        hash: createHash('sha256'),
        position: 0,
        nextProgress: PROGRESS_EVERY_BYTES,
        tail: Promise.resolve(),
        failure: null,
        dropped: false,
        ending: false,
      });
      return;
    case 'rereadTo':
      rereadStep(req.id, (r) => rereadUpTo(req.id, r, req.bytes));
      return;
    case 'rereadEnd':
      endReread(req.id, req.bytes);
      return;
    case 'rereadDrop':
      endReread(req.id, null);
      return;
  }
});
