import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore } from '@tus/file-store';
import type { Locker } from '@tus/utils';
import type { BlobStore } from '../blobs/blobStore';
import { recordPossession } from '../blobs/possession';
import type { Sql } from '../db/sql';
import type { ServerLog } from '../log';
import { deleteUpload, findUpload, markUploadFinished } from './uploadsRepo';

export type FinishOutcome =
  | { outcome: 'placed'; sha256: string; size: number }
  | { outcome: 'mismatch'; expected: string; actual: string }
  | { outcome: 'incomplete' }
  | { outcome: 'unknown' };

export interface FinishDeps {
  sql: Sql;
  store: FileStore;
  blobs: BlobStore;
  locker: Locker;
  clock: () => Date;
  log: ServerLog;
}

/**
 * Takes a complete upload into the blob store, or drops it when its bytes do not hash to the
 * SHA-256 the station promised. Runs under the upload's lock (tus calls `onUploadFinish` after it
 * has let go of it), so a HEAD or DELETE on another instance never sees a half-moved upload, and
 * a second finisher finds the work done. The bytes are hashed even when their blob is already
 * held (another station sent the same file): a station possesses only what it delivered, checked.
 * Also called for a HEAD on an upload whose bytes are all there but which was never placed (the
 * server stopped between the last byte and the move).
 */
export async function finishUpload(deps: FinishDeps, id: string): Promise<FinishOutcome> {
  const lock = deps.locker.newLock(id);
  // Hashing is not cut short for a waiting request: it takes seconds, and its result is final.
  await lock.lock(new AbortController().signal, () => undefined);
  try {
    const row = await findUpload(deps.sql, id);
    if (!row) return { outcome: 'unknown' };
    if (row.finishedAt) return { outcome: 'placed', sha256: row.sha256, size: row.size ?? 0 };
    const upload = await deps.store.getUpload(id).catch(() => null);
    if (!upload) return { outcome: 'unknown' };
    if (upload.size === undefined || upload.offset !== upload.size) return { outcome: 'incomplete' };
    const at = deps.clock();
    // The blob's row, the upload marked finished and the station's possession of the blob: one
    // transaction, so a station possesses exactly the blobs whose upload it finished.
    const placed = await deps.blobs.place(join(deps.store.directory, id), row.sha256, async (tx) => {
      await markUploadFinished(tx, id, at);
      await recordPossession(tx, { stationId: row.stationId, sha256: row.sha256, at });
    });
    await unlink(join(deps.store.directory, `${id}.json`)).catch(() => undefined);
    if (placed.outcome === 'mismatch') {
      await deleteUpload(deps.sql, id);
      deps.log.warn('upload refused: its bytes do not hash to the promised SHA-256', {
        upload: id,
        station: row.stationId,
        name: row.name,
        expected: placed.expected,
        actual: placed.actual,
        size: placed.size,
      });
      return { outcome: 'mismatch', expected: placed.expected, actual: placed.actual };
    }
    deps.log.info('upload stored', {
      upload: id,
      station: row.stationId,
      name: row.name,
      sha256: placed.sha256,
      size: placed.size,
      alreadyHeld: placed.outcome === 'alreadyHeld',
    });
    return { outcome: 'placed', sha256: placed.sha256, size: placed.size };
  } finally {
    await lock.unlock();
  }
}
