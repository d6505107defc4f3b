import { createHash } from 'node:crypto';
import { closeSync, constants, fstat, open as fsOpen } from 'node:fs';
import { lstat, readdir, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { openSource, SourceOpenError, type SourceIdentity } from '../store/openSource';
import type { RangeJob } from './rangeHashPool';

/**
 * A bag to verify, whether a folder or a zip holding one, seen the same way: its files by path
 * relative to the bag, small files read whole, large ones handed to the hashing workers as byte
 * ranges. Nothing is extracted: a stored zip entry is hashed in place inside the zip.
 */

export interface BagFile {
  /** Relative to the bag, `/`-separated. */
  path: string;
  size: number;
}

/** Something about the container itself that is wrong (a symlink, a zip entry that cannot be read). */
export interface SourceIssue {
  path: string;
  detail: string;
}

export interface BagSource {
  /** `blobs`: a package committed to the central server, each file one of its stored blobs. */
  readonly kind: 'folder' | 'zip' | 'blobs';
  /** The bag's name: the folder's name, or the top folder inside the zip. */
  readonly name: string;
  readonly files: ReadonlyMap<string, BagFile>;
  readonly issues: SourceIssue[];
  /** Reads a small file whole; refuses one larger than `maxBytes`. */
  read(path: string, maxBytes: number): Promise<Buffer>;
  /** A byte range the hashing workers can read, or null when the bytes must be streamed (a deflated entry). */
  rangeOf(path: string): RangeJob | null;
  /** Hashes a file on this thread, streaming (for what `rangeOf` cannot give). */
  hashStream(path: string, onBytes: (n: number) => void): Promise<string>;
  close(): Promise<void>;
}

export class TooLargeError extends Error {}

export async function openFolderBag(root: string): Promise<BagSource> {
  const files = new Map<string, BagFile>();
  const issues: SourceIssue[] = [];
  const identities = new Map<string, SourceIdentity>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  for (const e of entries) {
    const abs = join(e.parentPath, e.name);
    const rel = abs
      .slice(root.length + 1)
      .split(sep)
      .join('/');
    if (e.isDirectory()) continue;
    if (!e.isFile()) {
      issues.push({ path: rel, detail: 'not a regular file (a link or a device); it was not followed' });
      continue;
    }
    const info = await lstat(abs, { bigint: true });
    const identity = { dev: String(info.dev), ino: String(info.ino), size: Number(info.size) };
    files.set(rel, { path: rel, size: identity.size });
    identities.set(rel, identity);
  }
  // Every file is opened again by name later: `openSource` makes sure it is still the one listed
  // (a FIFO or a link swapped in meanwhile is refused, never waited on or followed).
  const openListed = async (path: string): Promise<FileHandle> => {
    const abs = join(root, path);
    // Looked at first, so that a FIFO already in place is not even opened (a writer waiting on
    // it would then go ahead); one swapped in after this look is refused on the opened handle.
    const now = await lstat(abs);
    if (!now.isFile()) throw new SourceOpenError('notRegularFile', 'no longer a regular file; not read');
    return openSource(abs, identities.get(path) ?? null);
  };
  const name = root.split(sep).filter(Boolean).at(-1) ?? root;
  return {
    kind: 'folder',
    name,
    files,
    issues,
    async read(path, maxBytes) {
      const handle = await openListed(path);
      try {
        const { size } = await handle.stat();
        if (size > maxBytes) throw new TooLargeError(`${path} is ${size} bytes, more than ${maxBytes} can be checked`);
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    rangeOf(path) {
      const f = files.get(path);
      return f ? { path: join(root, path), start: 0, length: f.size, expect: identities.get(path) } : null;
    },
    async hashStream(path, onBytes) {
      const handle = await openListed(path);
      const hash = createHash('sha256');
      try {
        for await (const chunk of handle.createReadStream() as AsyncIterable<Buffer>) {
          hash.update(chunk);
          onBytes(chunk.length);
        }
      } finally {
        await handle.close().catch(() => undefined);
      }
      return hash.digest('hex');
    },
    close: () => Promise.resolve(),
  };
}

interface ZipEntryInfo {
  entry: yauzl.Entry;
  /** Start of a stored entry's bytes in the zip, found from its local header. */
  dataStart: number | null;
}

const openFd = promisify(fsOpen);
const fstatFd = promisify(fstat);

/**
 * The zip, opened as a listed file is (no link followed, no FIFO waited on), as a bare
 * descriptor: yauzl closes it when the last read stream on it ends, which a `FileHandle` would
 * not allow. The hashing workers check that they open this same zip.
 */
async function openZipFd(zipPath: string): Promise<{ fd: number; identity: SourceIdentity }> {
  let fd: number;
  try {
    fd = await openFd(zipPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (constants.O_NOFOLLOW && (code === 'ELOOP' || code === 'EMLINK'))
      throw new SourceOpenError('symlinkRefused', 'a symbolic link is in place of the zip; not followed');
    throw error;
  }
  try {
    const info = await fstatFd(fd, { bigint: true });
    if (!info.isFile()) throw new SourceOpenError('notRegularFile', 'not a regular file when opened; not read');
    return { fd, identity: { dev: String(info.dev), ino: String(info.ino), size: Number(info.size) } };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

/**
 * The Unix mode in an entry's external attributes is covered by no hash, yet unzip obeys it: an
 * entry marked as a link becomes a link (whose target is the entry's bytes), one without read
 * permission cannot be read back, so `sha256sum -c` on the extracted bag fails while the bytes
 * inside the zip still match. Unzip reads the mode whenever one is there, whatever host made
 * the zip, so any entry with a mode must be a regular file (a directory for a `…/` entry) its
 * owner can read.
 */
function unixModeIssue(entry: yauzl.Entry): string | null {
  const mode = entry.externalFileAttributes >>> 16;
  if (mode === 0) return null;
  const type = mode & S_IFMT;
  const dir = entry.fileName.endsWith('/');
  const octal = `0o${mode.toString(8)}`;
  if (type !== 0 && type !== (dir ? S_IFDIR : S_IFREG))
    return dir
      ? `the zip entry's Unix mode ${octal} is not a folder's: unzip would make something else of it`
      : `the zip entry's Unix mode ${octal} is not a regular file's: unzip would make a link, a device or a folder of it`;
  if ((mode & 0o400) === 0)
    return `the zip entry's Unix mode ${octal} leaves it unreadable to its owner when extracted`;
  return null;
}

/**
 * Opens a zip of a bag. Entries are `<bag name>/…` (what `zipBag` writes and what zipping a bag
 * folder gives) or the bag's files at the top. Throws when the zip cannot be read at all
 * (truncated, not a zip): the caller reports that as a format problem.
 */
export async function openZipBag(zipPath: string): Promise<BagSource> {
  const { fd, identity: zipFile } = await openZipFd(zipPath);
  let zip: yauzl.ZipFile;
  try {
    // Loaded here, not with the engine: only verifying a zipped package reads a zip.
    const { default: reader } = await import('yauzl');
    zip = await reader.fromFdPromise(fd, {
      lazyEntries: true,
      autoClose: false,
      decodeStrings: true,
      validateEntrySizes: true,
      // A backslash in a name is refused: read as `/` it would verify a bag that Info-ZIP
      // extracts as one file literally named `…\\data\\report.html`.
      strictFileNames: true,
    });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  try {
    const raw: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        raw.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    const names = raw.map((e) => e.fileName);
    const tops = new Set(names.map((n) => n.split('/')[0]));
    const top = tops.size === 1 && !names.includes('bagit.txt') ? [...tops][0]! : '';
    const prefix = top ? `${top}/` : '';
    const files = new Map<string, BagFile>();
    const infos = new Map<string, ZipEntryInfo>();
    const issues: SourceIssue[] = [];
    for (const entry of raw) {
      const rel = entry.fileName.slice(prefix.length);
      const modeIssue = unixModeIssue(entry);
      if (modeIssue) {
        issues.push({ path: rel, detail: modeIssue });
        continue;
      }
      if (entry.fileName.endsWith('/')) continue;
      if (files.has(rel)) {
        issues.push({ path: rel, detail: 'the zip holds two entries with this name' });
        continue;
      }
      if (entry.isEncrypted()) {
        issues.push({ path: rel, detail: 'the zip entry is encrypted' });
        continue;
      }
      let dataStart: number | null = null;
      if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize) {
        issues.push({ path: rel, detail: 'a stored zip entry whose two recorded sizes differ' });
        continue;
      }
      if (entry.compressionMethod === 0) {
        try {
          dataStart = (await zip.readLocalFileHeaderPromise(entry, { minimal: true })).fileDataStart;
        } catch (error) {
          issues.push({ path: rel, detail: `the zip entry cannot be read: ${(error as Error).message}` });
          continue;
        }
      } else if (entry.compressionMethod !== 8) {
        issues.push({ path: rel, detail: `unsupported zip compression method ${entry.compressionMethod}` });
        continue;
      }
      files.set(rel, { path: rel, size: entry.uncompressedSize });
      infos.set(rel, { entry, dataStart });
    }
    const stream = async (path: string): Promise<Readable> => {
      const info = infos.get(path);
      if (!info) throw new Error(`${path}: not in the zip`);
      return zip.openReadStreamPromise(info.entry);
    };
    return {
      kind: 'zip',
      name: top || (zipPath.split(/[\\/]/).at(-1) ?? zipPath).replace(/\.zip$/i, ''),
      files,
      issues,
      async read(path, maxBytes) {
        const f = files.get(path);
        if (f && f.size > maxBytes)
          throw new TooLargeError(`${path} is ${f.size} bytes, more than ${maxBytes} can be checked`);
        const chunks: Buffer[] = [];
        for await (const chunk of (await stream(path)) as AsyncIterable<Buffer>) chunks.push(chunk);
        return Buffer.concat(chunks);
      },
      rangeOf(path) {
        const info = infos.get(path);
        if (!info || info.dataStart === null) return null;
        return { path: zipPath, start: info.dataStart, length: info.entry.compressedSize, expect: zipFile };
      },
      async hashStream(path, onBytes) {
        const hash = createHash('sha256');
        for await (const chunk of (await stream(path)) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          onBytes(chunk.length);
        }
        return hash.digest('hex');
      },
      close: () => {
        // Closes the descriptor once the last read stream on it has ended.
        zip.close();
        return Promise.resolve();
      },
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
