import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { ERRORS } from '@tus/utils';

/**
 * Bytes a PATCH body may queue in memory while the previous write to the upload file is still in
 * the kernel. With fs's default (16 KiB), every 64 KiB socket read became one `write(2)` handed
 * to the thread pool and waited for before the next was read: 32,000 round trips per 2 GB, and
 * @tus/server's web-stream body hands the chunks on one at a time, so none of them were ever
 * joined. With room for a few MiB the chunks that arrive during one write go out together as one
 * `writev(2)` (about 400 per 2 GB instead of 32,000), and what is queued is bounded by this.
 */
/** An upload's id: the server names every upload so (`namingFunction`), and takes no other. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;

export const WRITE_QUEUE_BYTES = 4 * 1024 * 1024;

/**
 * `@tus/file-store` with its `write` kept as it is but for the write stream's queue. Everything
 * else (the `.json` sidecar, offsets, expiry, deletion) is the library's.
 */
export class BatchedFileStore extends FileStore {
  override async write(readable: Readable, id: string, offset: number): Promise<number> {
    // The library's own check of the path is private; an id of ours is never a path.
    if (!UPLOAD_ID.test(id)) throw ERRORS.FILE_NOT_FOUND;
    const file = createWriteStream(join(this.directory, id), {
      flags: 'r+',
      start: offset,
      highWaterMark: WRITE_QUEUE_BYTES,
    });
    let received = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(readable, counter, file);
    } catch {
      // As the library answers: tus turns it into its 500 and the station resumes from HEAD's offset.
      throw ERRORS.FILE_WRITE_ERROR;
    }
    return offset + received;
  }
}
