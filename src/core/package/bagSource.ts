import { createHash } from 'node:crypto';
import { lstat, open, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
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
  readonly kind: 'folder' | 'zip';
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
    files.set(rel, { path: rel, size: (await lstat(abs)).size });
  }
  const name = root.split(sep).filter(Boolean).at(-1) ?? root;
  return {
    kind: 'folder',
    name,
    files,
    issues,
    async read(path, maxBytes) {
      const handle = await open(join(root, path), 'r');
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
      return f ? { path: join(root, path), start: 0, length: f.size } : null;
    },
    async hashStream(path, onBytes) {
      const handle = await open(join(root, path), 'r');
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

/**
 * Opens a zip of a bag. Entries are `<bag name>/…` (what `zipBag` writes and what zipping a bag
 * folder gives) or the bag's files at the top. Throws when the zip cannot be read at all
 * (truncated, not a zip): the caller reports that as a format problem.
 */
export async function openZipBag(zipPath: string): Promise<BagSource> {
  const zip = await yauzl.openPromise(zipPath, {
    lazyEntries: true,
    autoClose: false,
    decodeStrings: true,
    validateEntrySizes: true,
    strictFileNames: false,
  });
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
      if (entry.fileName.endsWith('/')) continue;
      const rel = entry.fileName.slice(prefix.length);
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
        return { path: zipPath, start: info.dataStart, length: info.entry.compressedSize };
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
        zip.close();
        return Promise.resolve();
      },
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}
