import { createHash, type Hash } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';

/** Uploads whose running hash is kept at once; beyond it the oldest falls back to a full read. */
const MAX_RUNNING = 256;

interface RunningHash {
  hash: Hash;
  /** Bytes [0, hashed) of the upload's file went through `hash`, in order. */
  hashed: number;
  /** The file as it was right after this process last wrote to it. */
  file: FileMark;
}

interface FileMark {
  ino: bigint;
  size: bigint;
  /** Nanoseconds: two writes within one millisecond must still tell apart. */
  ctimeNs: bigint;
}

/**
 * `@tus/file-store` that hashes each upload's bytes on their way to the disk, so a finished
 * upload need not be read again before it is placed: on a 2 GB body-cam file that read is seconds
 * after the last byte, while the station waits.
 *
 * The running hash is trusted only where the file cannot have changed outside this process:
 * every write must continue exactly where the last one of this process ended, on the same inode
 * whose size and ctime are those it left (the kernel moves ctime on every write, truncation or
 * chmod, and nobody can set it back). Anything else (a write by another instance on the shared
 * folder, a restart, an error mid-write, a hand on the file) drops it, and the upload is hashed
 * from the disk at the end, as before. A hash that is dropped is never wrong, only slower.
 */
export class HashingFileStore extends FileStore {
  private readonly running = new Map<string, RunningHash>();

  override async write(readable: IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    const earlier = this.running.get(id);
    this.running.delete(id);
    const path = this.pathOf(id);
    const hash = offset === 0 ? createHash('sha256') : await this.continuable(earlier, path, offset);
    if (!hash) return super.write(readable, id, offset);

    let seen = 0;
    const tee = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        seen += chunk.length;
        callback(null, chunk);
      },
    });
    // Errors of the request reach the file store's own pipeline through `tee`, as they would directly.
    const piped = pipeline(readable, tee).catch(() => undefined);
    const end = await super.write(tee, id, offset);
    await piped;
    const file = await markOf(path);
    // Keep the hash only when it covers exactly the bytes the file now holds.
    if (file && end === offset + seen && file.size === BigInt(end)) this.keep(id, { hash, hashed: end, file });
    return end;
  }

  /**
   * The SHA-256 of a complete upload of `size` bytes from its running hash, or null when it must be
   * read from the disk. Taken once: the running hash is gone after this call.
   */
  async takeHash(id: string, size: number): Promise<string | null> {
    const running = this.running.get(id);
    this.running.delete(id);
    if (!running || running.hashed !== size) return null;
    const now = await markOf(this.pathOf(id));
    if (!now || !sameMark(now, running.file)) return null;
    return running.hash.digest('hex');
  }

  override async remove(id: string): Promise<void> {
    this.running.delete(id);
    await super.remove(id);
  }

  private async continuable(earlier: RunningHash | undefined, path: string, offset: number): Promise<Hash | null> {
    if (!earlier || earlier.hashed !== offset) return null;
    const now = await markOf(path);
    return now && sameMark(now, earlier.file) ? earlier.hash : null;
  }

  private keep(id: string, running: RunningHash): void {
    this.running.set(id, running);
    if (this.running.size > MAX_RUNNING) {
      const oldest = this.running.keys().next().value;
      if (oldest !== undefined) this.running.delete(oldest);
    }
  }

  /** Where the file store keeps an upload's bytes (its own `resolve`, which is private). */
  private pathOf(id: string): string {
    return join(this.directory, id);
  }
}

async function markOf(path: string): Promise<FileMark | null> {
  try {
    const info = await lstat(path, { bigint: true });
    return info.isFile() ? { ino: info.ino, size: info.size, ctimeNs: info.ctimeNs } : null;
  } catch {
    return null;
  }
}

function sameMark(a: FileMark, b: FileMark): boolean {
  return a.ino === b.ino && a.size === b.size && a.ctimeNs === b.ctimeNs;
}
