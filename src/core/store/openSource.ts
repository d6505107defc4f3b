import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** What the scan saw of a source file; what is opened later must be that same file. */
export interface SourceIdentity {
  /** Device and inode as decimal strings (they may exceed 2^53). */
  dev: string;
  ino: string;
  size: number;
}

export type SourceOpenFailure = 'notRegularFile' | 'symlinkRefused' | 'sourceReplaced' | 'changedDuringRead';

export class SourceOpenError extends Error {
  constructor(
    readonly kind: SourceOpenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SourceOpenError';
  }
}

// Windows has neither flag; there a link or pipe swapped in cannot block a read the same way.
const O_NOFOLLOW: number = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK: number = constants.O_NONBLOCK ?? 0;

/**
 * Opens a source read-only, without following a link and without blocking: a FIFO or a device
 * put in place of a file after the scan would otherwise hold a thread-pool thread until someone
 * writes to it. The handle is then checked, not the name, so nothing can be swapped in between:
 * it must be a regular file, and the one the scan saw (device, inode and size). Non-blocking mode
 * changes nothing for a regular file's reads, so it stays set.
 */
export async function openSource(path: string, expected: SourceIdentity | null): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (error) {
    // Linux and macOS answer ELOOP for a link under O_NOFOLLOW; the BSDs EMLINK.
    const code = (error as NodeJS.ErrnoException).code;
    if (O_NOFOLLOW && (code === 'ELOOP' || code === 'EMLINK')) {
      throw new SourceOpenError('symlinkRefused', 'a symbolic link is in place of the file; not followed');
    }
    throw error;
  }
  try {
    const info = await handle.stat({ bigint: true });
    if (!info.isFile()) throw new SourceOpenError('notRegularFile', 'not a regular file when opened; not read');
    if (expected && (String(info.dev) !== expected.dev || String(info.ino) !== expected.ino)) {
      throw new SourceOpenError('sourceReplaced', 'another file is in place of the one scanned; not read');
    }
    if (expected && Number(info.size) !== expected.size) {
      throw new SourceOpenError(
        'changedDuringRead',
        `the file is ${String(info.size)} bytes now, ${expected.size} when scanned`,
      );
    }
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/** The first `bytes` of a source, opened as `openSource` does. */
export async function readSourceHead(path: string, expected: SourceIdentity | null, bytes: number): Promise<Buffer> {
  const handle = await openSource(path, expected);
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
