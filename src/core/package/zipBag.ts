import { open, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compareUtf8 } from './bagFormat';
import { validateSealStatements, type SealStatement } from './sealStatements';

/**
 * Streams a bag folder into one zip whose entries are `<bag name>/…`, so unzipping gives the bag
 * folder. Entries are stored, not deflated: the evidence is already compressed video, and a
 * stored entry can be hashed in place inside the zip. yazl switches to ZIP64 by itself for any
 * entry or archive past 4 GB; `forceZip64` makes it do so for small ones (tests). Entries are in
 * path order with a fixed time and mode, so the same bag (with the same extra files) always gives the same zip bytes.
 */

export interface ZipBagOptions {
  /** The folder name inside the zip (normally the bag's own name). */
  bagName: string;
  /** Time stamped on every entry; default 1980-01-01, the earliest a zip can hold. */
  mtime?: Date;
  forceZip64?: boolean;
  /** Files added beside the bag's own (an export's `seal/` statements), in the same path order. */
  extraFiles?: readonly SealStatement[];
  signal?: AbortSignal;
  onProgress?: (bytesWritten: number) => void;
}

const DEFAULT_MTIME = new Date('1980-01-01T00:00:00Z');
/** Local header, data descriptor and central directory record per entry, plus ZIP64 extras and the name twice. */
const PER_ENTRY_OVERHEAD = 30 + 24 + 46 + 28 + 9 * 2 + 32;

/** Every regular file of a folder, relative and `/`-separated, in byte order. */
export async function listBagFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort(compareUtf8);
}

/** An upper bound of the zip's size, for the free-space check before writing. */
export function zipSizeBound(files: Array<{ path: string; size: number }>, bagName: string): number {
  return (
    files.reduce((a, f) => a + f.size + PER_ENTRY_OVERHEAD + 2 * Buffer.byteLength(`${bagName}/${f.path}`), 0) +
    22 +
    56 +
    20
  );
}

/** Writes the zip to `zipPath`, which must not exist, and flushes it to the disk. Returns its size. */
export async function zipBag(bagDir: string, zipPath: string, opts: ZipBagOptions): Promise<number> {
  const files = await listBagFiles(bagDir);
  const extra = new Map((opts.extraFiles ?? []).map((f) => [f.path, f.bytes]));
  validateSealStatements(opts.extraFiles ?? []);
  for (const path of files) if (extra.has(path)) throw new Error(`${path} is already in the bag`);
  // Loaded here, not with the engine: only a zipped export writes a zip.
  const { default: yazl } = await import('yazl');
  const zip = new yazl.ZipFile();
  const mtime = opts.mtime ?? DEFAULT_MTIME;
  const entry = { compress: false, mtime, mode: 0o100644, forceZip64Format: opts.forceZip64 ?? false };
  for (const path of [...files, ...extra.keys()].sort(compareUtf8)) {
    const bytes = extra.get(path);
    if (bytes) zip.addBuffer(bytes, `${opts.bagName}/${path}`, entry);
    else zip.addFile(join(bagDir, ...path.split('/')), `${opts.bagName}/${path}`, entry);
  }
  zip.end({ forceZip64Format: opts.forceZip64 ?? false, comment: '' });
  const handle = await open(zipPath, 'wx', 0o644);
  let written = 0;
  try {
    const counter = new Transform({
      transform(chunk: Buffer, _enc, callback) {
        written += chunk.length;
        opts.onProgress?.(written);
        callback(null, chunk);
      },
    });
    // yazl reports a source that cannot be read on the ZipFile, not on its output stream.
    const failed = new Promise<never>((_, reject) => zip.on('error', reject));
    failed.catch(() => undefined);
    // Our own sink rather than handle.createWriteStream: the file must stay open for the fsync,
    // and a write stream that does not close itself never tells the pipeline it is done.
    const sink = new Writable({
      highWaterMark: 1024 * 1024,
      write(chunk: Buffer, _enc, callback) {
        handle.write(chunk).then(() => callback(), callback);
      },
    });
    const piping = pipeline(zip.outputStream, counter, sink, { signal: opts.signal });
    piping.catch(() => undefined);
    try {
      await Promise.race([piping, failed]);
    } catch (error) {
      (zip.outputStream as unknown as Readable).destroy();
      await piping.catch(() => undefined);
      throw error;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return written;
}
