import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Direct I/O for the store's copies: written data goes to the disk rather than into the page
 * cache, and the verifying re-read then reads what the disk holds, not a cached copy of what was
 * just written. It also spares the page cache a second gigabyte per gigabyte imported. Where the
 * file system refuses it (tmpfs, some network mounts) or an offset is not aligned, plain I/O is
 * used instead: the result is the same, only the path to the disk differs.
 */

/** Direct I/O needs buffer addresses, offsets and lengths aligned to the device's block size. */
export const DIRECT_ALIGNMENT = 4096;
const O_DIRECT: number = constants.O_DIRECT ?? 0;

const WASM_PAGE = 65536;
// The Node tsconfig has no DOM or WebAssembly library types; this is the one constructor used.
const WasmMemory = (
  globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }
).WebAssembly.Memory;

/**
 * Buffers whose memory starts on a page boundary. WebAssembly memory is mapped by whole pages,
 * which a Buffer from the JavaScript heap does not promise.
 */
export function alignedBuffers(count: number, bytes: number): Buffer[] {
  const size = Math.ceil(bytes / WASM_PAGE) * WASM_PAGE;
  const memory = new WasmMemory({ initial: (size * count) / WASM_PAGE });
  return Array.from({ length: count }, (_, i) => Buffer.from(memory.buffer, i * size, bytes));
}

/** A set of aligned buffers kept for the next request of the same shape, dropped after this long idle. */
const SPARE_IDLE_MS = 10_000;
const spares = new Map<string, Buffer[]>();
let dropSpares: NodeJS.Timeout | null = null;

/**
 * `alignedBuffers`, reusing the set the previous request of the same shape gave back. A worker
 * hashing and copying a card of small clips would otherwise map (and the kernel zero) tens of MiB
 * of fresh memory per file, which cost more than the file's own hashing.
 */
export function borrowAlignedBuffers(count: number, bytes: number): Buffer[] {
  const key = `${count}:${bytes}`;
  const spare = spares.get(key);
  if (spare) {
    spares.delete(key);
    return spare;
  }
  return alignedBuffers(count, bytes);
}

/** Gives a set back once no read or write is in flight on any of its buffers. */
export function returnAlignedBuffers(buffers: Buffer[]): void {
  const first = buffers[0];
  if (!first) return;
  spares.set(`${buffers.length}:${first.length}`, buffers);
  if (dropSpares) clearTimeout(dropSpares);
  dropSpares = setTimeout(() => {
    spares.clear();
    dropSpares = null;
  }, SPARE_IDLE_MS);
  dropSpares.unref();
}

function isAligned(position: number, length: number): boolean {
  return position % DIRECT_ALIGNMENT === 0 && length % DIRECT_ALIGNMENT === 0;
}

async function openDirect(path: string, flags: number, fallback: string, mode?: number): Promise<FileHandle> {
  if (O_DIRECT) {
    try {
      return await open(path, flags | O_DIRECT, mode);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
    }
  }
  return open(path, fallback, mode);
}

/** Opens a file for reading, directly where the file system allows it. */
export function openForDirectRead(path: string): Promise<FileHandle> {
  return openDirect(path, constants.O_RDONLY, 'r');
}

/**
 * A new file written with direct I/O for every aligned block and plain I/O for the rest (the
 * tail of a file whose size is not a multiple of the block size).
 */
export class DirectFileWriter {
  private plain: FileHandle | null = null;

  private constructor(
    private readonly path: string,
    private readonly first: FileHandle,
    private readonly isDirect: boolean,
  ) {}

  /** Creates `path`, which must not exist (it is a fresh temporary name). */
  static async create(path: string): Promise<DirectFileWriter> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
    if (O_DIRECT) {
      try {
        return new DirectFileWriter(path, await open(path, flags | O_DIRECT, 0o600), true);
      } catch (error) {
        // Some file systems create the file and then refuse direct I/O on it; the name is ours.
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
        return new DirectFileWriter(path, await open(path, 'w', 0o600), false);
      }
    }
    return new DirectFileWriter(path, await open(path, 'wx', 0o600), false);
  }

  async write(buffer: Buffer, length: number, position: number): Promise<void> {
    if (!this.isDirect || isAligned(position, length)) {
      await this.first.write(buffer, 0, length, position);
      return;
    }
    this.plain ??= await open(this.path, 'r+');
    await this.plain.write(buffer, 0, length, position);
  }

  async datasync(): Promise<void> {
    await this.first.datasync();
    await this.plain?.datasync();
  }

  async sync(): Promise<void> {
    await this.plain?.sync();
    await this.first.sync();
  }

  async close(): Promise<void> {
    await this.plain?.close().catch(() => undefined);
    await this.first.close();
  }
}
