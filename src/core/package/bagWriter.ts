import { createHash, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import { chmod, link, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { keyFingerprint } from '../keys/fingerprint';
import { fsyncDir } from '../store/atomicWrite';
import { HashCopier, HashCopyAbortedError, HashCopyError } from '../store/hashCopy';
import { RangeHashAbortedError, RangeHashError, RangeHashPool } from './rangeHashPool';
import {
  BAG_INFO,
  BAG_INFO_NAME,
  BAGIT_TXT,
  BAGIT_TXT_NAME,
  MANIFEST_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_BYTES,
  SIGNATURE_NAME,
  TAG_MANIFEST_NAME,
  compareUtf8,
  formatBagInfo,
  formatBagSize,
  formatManifest,
  isSafeBagPath,
  type ManifestEntry,
} from './bagFormat';

/**
 * Writes a court package: a BagIt 1.0 bag whose tag manifest is signed with the station key. The
 * bag is built in a temporary sibling folder, every file and folder flushed to the disk, and only
 * then renamed to its name, so a folder with the bag's name is always a complete bag. The same
 * inputs give the same bytes: manifests are sorted and nothing carries a time but what `bagInfo`
 * gives.
 */

export interface BagSigner {
  publicKeyPem: string;
  fingerprint: string;
  sign(data: Buffer): Promise<Buffer>;
}

export interface PayloadSource {
  /** Where the file goes in the bag: `data/…`. */
  bagPath: string;
  /** Absolute source path, copied streaming. */
  file?: string;
  /**
   * Content of a small generated file (case.json, the report). It may still be in the making (the
   * report renders while the large files are hashed): the bag waits for it only when it comes to
   * write it, after every `file`, and a rejection fails the bag.
   */
  bytes?: Buffer | Promise<Buffer>;
  /** The expected hash: a copy that reads anything else aborts the bag, naming the file. */
  sha256?: string;
}

export interface WriteBagOptions {
  /** The bag folder to create; it must not exist. */
  dir: string;
  payload: PayloadSource[];
  /** bag-info.txt fields in order; `Payload-Oxum` and `Bag-Size` are added by writeBag. */
  bagInfo: Array<[label: string, value: string]>;
  signer: BagSigner;
  /**
   * Hard-link the `file` sources into the bag instead of copying them, and hash each where it
   * lies (that read is the check against its `sha256`). Only for sources that are never written
   * again, such as the store's 0444 copies: a link shares the file, it does not freeze it. Where
   * the file system refuses a link (another device, no hard links) the file is copied.
   */
  linkSources?: boolean;
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

export interface WriteBagResult {
  /** SHA-256 of tagmanifest-sha256.txt: the value the signature covers and the custody entry names. */
  tagManifestSha256: string;
  payloadBytes: number;
  payloadFiles: number;
}

export type BagWriteFailure =
  'hashMismatch' | 'sourceUnreadable' | 'diskFull' | 'writeFailed' | 'cancelled' | 'invalid';

/** Why a bag could not be written; the temporary folder is gone by the time this is thrown. */
export class BagWriteError extends Error {
  constructor(
    readonly kind: BagWriteFailure,
    /** The payload path concerned, when one is. */
    readonly bagPath: string | null,
    message: string,
    /** The system error code (`ENOSPC`, `EIO`, …) when there is one. */
    readonly code: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BagWriteError';
  }
}

/** Two files in flight, one per core: each copier has its own worker thread. */
const COPIERS = 2;
const FILE_MODE = 0o644;

function validate(opts: WriteBagOptions): void {
  const seen = new Set<string>();
  for (const p of opts.payload) {
    if (!p.bagPath.startsWith('data/') || !isSafeBagPath(p.bagPath))
      throw new BagWriteError('invalid', p.bagPath, `payload path must be a relative path under data/: ${p.bagPath}`);
    if ((p.file === undefined) === (p.bytes === undefined))
      throw new BagWriteError('invalid', p.bagPath, 'a payload entry needs exactly one of file or bytes');
    // Windows and macOS fold case and normalise: two paths that meet there would overwrite each other.
    const key = p.bagPath.normalize('NFC').toLowerCase();
    if (seen.has(key)) throw new BagWriteError('invalid', p.bagPath, `payload path given twice: ${p.bagPath}`);
    seen.add(key);
    if (p.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(p.sha256))
      throw new BagWriteError('invalid', p.bagPath, 'expected sha256 must be lowercase hex');
  }
  for (const [label] of opts.bagInfo) {
    const l = label.toLowerCase();
    if (l === BAG_INFO.payloadOxum.toLowerCase() || l === BAG_INFO.bagSize.toLowerCase())
      throw new BagWriteError('invalid', null, `${label} is computed by writeBag`);
  }
  if (keyFingerprint(opts.signer.publicKeyPem) !== opts.signer.fingerprint)
    throw new BagWriteError('invalid', null, 'the signer fingerprint does not match its public key');
}

function failureOf(error: unknown, bagPath: string | null): BagWriteError {
  if (error instanceof BagWriteError) return error;
  if (error instanceof HashCopyAbortedError || error instanceof RangeHashAbortedError)
    return new BagWriteError('cancelled', bagPath, 'cancelled');
  if (error instanceof RangeHashError)
    return new BagWriteError('sourceUnreadable', bagPath, `${bagPath ?? 'bag'}: ${error.message}`, error.code, {
      cause: error,
    });
  if (error instanceof HashCopyError) {
    const kind: BagWriteFailure =
      error.kind === 'diskFull' ? 'diskFull' : error.kind === 'storeError' ? 'writeFailed' : 'sourceUnreadable';
    return new BagWriteError(kind, bagPath, `${bagPath ?? 'bag'}: ${error.message}`, error.code, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException).code ?? null;
  const kind: BagWriteFailure = code === 'ENOSPC' || code === 'EDQUOT' ? 'diskFull' : 'writeFailed';
  return new BagWriteError(kind, bagPath, `${bagPath ?? 'bag'}: ${(error as Error).message}`, code, { cause: error });
}

/** Waits for `value`, but no longer than until `signal` aborts. */
function untilAborted<T>(value: T | Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal || !(value instanceof Promise)) return Promise.resolve(value);
  if (signal.aborted) return Promise.reject(new BagWriteError('cancelled', null, 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new BagWriteError('cancelled', null, 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    value.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Creates `path` (which must not exist), writes it whole and flushes it. */
async function writeNewFile(path: string, data: Buffer | string): Promise<void> {
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Every folder of the bag, deepest first, so each is flushed after what it holds. */
function foldersOf(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    let d = dirname(p);
    while (d !== '.' && d !== '') {
      dirs.add(d);
      d = dirname(d);
    }
  }
  return [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || compareUtf8(a, b));
}

export async function writeBag(opts: WriteBagOptions): Promise<WriteBagResult> {
  // Handled even if the bag fails before it comes to them (at once, before any await): the
  // failure a rejection brings is the bag's, when it gets there.
  for (const p of opts.payload) if (p.bytes instanceof Promise) p.bytes.catch(() => undefined);
  validate(opts);
  const { dir, signal } = opts;
  try {
    await lstat(dir);
    throw new BagWriteError('invalid', null, `the bag folder already exists: ${dir}`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw failureOf(error, null);
  }
  if (signal?.aborted) throw new BagWriteError('cancelled', null, 'cancelled');

  const tmp = join(dirname(dir), `${basename(dir)}.partial-${randomBytes(6).toString('hex')}`);
  const copiers = Array.from({ length: COPIERS }, () => new HashCopier());
  const linking = opts.linkSources === true && opts.payload.some((p) => p.file !== undefined);
  const hashers = linking ? new RangeHashPool({ direct: false, workers: COPIERS, signal }) : null;
  try {
    await mkdir(tmp);
    const result = await buildBag(opts, tmp, copiers, hashers);
    if (signal?.aborted) throw new BagWriteError('cancelled', null, 'cancelled');
    await rename(tmp, dir);
    await fsyncDir(dirname(dir));
    return result;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw failureOf(error, null);
  } finally {
    await Promise.all([...copiers.map((c) => c.close()), hashers?.close()]);
  }
}

/** Errors of `link` that mean "this file system will not link here": the file is copied instead. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS']);

/**
 * Links `source` in as `dest` and hashes it in place; null when the link is refused. The linked
 * file is the source itself: its mode is left as it is (the store's 0444), never widened.
 */
async function linkAndHash(
  hashers: RangeHashPool,
  source: string,
  dest: string,
  size: number,
  onProgress: (bytes: number) => void,
): Promise<{ sha256: string; bytes: number } | null> {
  try {
    await link(source, dest);
  } catch (error) {
    if (LINK_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) return null;
    throw error;
  }
  const info = await lstat(dest);
  if (!info.isFile()) throw new BagWriteError('sourceUnreadable', null, `${source} is not a regular file`);
  const sha256 = await hashers.hash({ path: dest, start: 0, length: size }, onProgress);
  // The range ends where the size said; a file that grew since would hash the same and be wrong.
  const after = await lstat(dest);
  return { sha256, bytes: after.size };
}

async function buildBag(
  opts: WriteBagOptions,
  root: string,
  copiers: HashCopier[],
  hashers: RangeHashPool | null,
): Promise<WriteBagResult> {
  const { payload, signal } = opts;
  // A generated file still in the making has no size yet: it counts once it is there.
  const sizes: Array<number | null> = await Promise.all(
    payload.map(async (p) => {
      if (p.bytes instanceof Promise) return null;
      if (p.bytes) return p.bytes.length;
      try {
        return (await stat(p.file!)).size;
      } catch (error) {
        throw new BagWriteError('sourceUnreadable', p.bagPath, `${p.bagPath}: ${(error as Error).message}`, null, {
          cause: error,
        });
      }
    }),
  );
  const known = (): number => sizes.reduce<number>((a, b) => a + (b ?? 0), 0);
  const allPaths = [
    ...payload.map((p) => p.bagPath),
    BAGIT_TXT_NAME,
    BAG_INFO_NAME,
    MANIFEST_NAME,
    TAG_MANIFEST_NAME,
    PUBLIC_KEY_NAME,
    SIGNATURE_NAME,
  ];
  const folders = foldersOf(allPaths);
  for (const d of [...folders].reverse()) await mkdir(join(root, d), { recursive: true });

  const done = new Array<number>(payload.length).fill(0);
  let reported = 0;
  const report = (): void => {
    const sum = done.reduce((a, b) => a + b, 0);
    if (sum === reported && sum !== 0) return;
    reported = sum;
    opts.onProgress?.(sum, known());
  };
  report();

  const manifest: ManifestEntry[] = [];
  // Largest first: the two copiers then finish together rather than one idling at the end. Files
  // still in the making come last, so the wait for them overlaps the hashing of the rest.
  const order = payload.map((_, i) => i).sort((a, b) => (sizes[b] ?? -1) - (sizes[a] ?? -1) || a - b);
  let next = 0;
  let stopped = false;
  const runCopier = async (copier: HashCopier): Promise<void> => {
    while (next < order.length && !stopped) {
      if (signal?.aborted) throw new BagWriteError('cancelled', null, 'cancelled');
      const i = order[next++]!;
      const p = payload[i]!;
      const dest = join(root, p.bagPath);
      let hash: string;
      try {
        if (p.bytes) {
          const bytes = await untilAborted(p.bytes, signal);
          sizes[i] = bytes.length;
          await writeNewFile(dest, bytes);
          hash = sha256(bytes);
        } else {
          const onProgress = (bytes: number): void => {
            done[i] = bytes;
            report();
          };
          const linked = hashers ? await linkAndHash(hashers, p.file!, dest, sizes[i]!, onProgress) : null;
          const r = linked ?? (await copier.copy(p.file!, dest, { signal, onProgress }));
          if (!linked) await chmod(dest, FILE_MODE);
          hash = r.sha256;
          if (r.bytes !== sizes[i])
            throw new BagWriteError(
              'sourceUnreadable',
              p.bagPath,
              `${p.bagPath}: the source changed size while copying`,
            );
        }
      } catch (error) {
        throw failureOf(error, p.bagPath);
      }
      if (p.sha256 !== undefined && p.sha256 !== hash)
        throw new BagWriteError(
          'hashMismatch',
          p.bagPath,
          `${p.bagPath}: read ${hash}, expected ${p.sha256}${p.file ? ` (source ${p.file})` : ''}`,
        );
      manifest.push({ path: p.bagPath, sha256: hash });
      done[i] = sizes[i] ?? 0;
      report();
    }
  };
  const workers = copiers.map((c) => runCopier(c));
  // Stop the other copier at once when one fails, instead of letting it finish a large file.
  const results = await Promise.allSettled(
    workers.map((w) =>
      w.catch(async (error: unknown) => {
        stopped = true;
        await Promise.all(copiers.map((c) => c.close()));
        throw error;
      }),
    ),
  );
  const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (firstFailure) {
    // A copier closed because its sibling failed reports "cancelled"; the real cause is the other one.
    const real = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => failureOf(r.reason, null))
      .find((e) => e.kind !== 'cancelled');
    throw real ?? failureOf(firstFailure.reason, null);
  }

  const bytesTotal = known();
  const manifestText = formatManifest(manifest);
  const bagInfoText = formatBagInfo([
    ...opts.bagInfo,
    [BAG_INFO.payloadOxum, `${bytesTotal}.${payload.length}`],
    [BAG_INFO.bagSize, formatBagSize(bytesTotal)],
  ]);
  const publicKeyPem = createPublicKey(opts.signer.publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const tagFiles: Array<[string, string]> = [
    [BAGIT_TXT_NAME, BAGIT_TXT],
    [BAG_INFO_NAME, bagInfoText],
    [MANIFEST_NAME, manifestText],
    [PUBLIC_KEY_NAME, publicKeyPem],
  ];
  for (const [name, text] of tagFiles) await writeNewFile(join(root, name), text);
  const tagManifestText = formatManifest(tagFiles.map(([path, text]) => ({ path, sha256: sha256(text) })));
  const tagManifest = Buffer.from(tagManifestText, 'utf8');
  await writeNewFile(join(root, TAG_MANIFEST_NAME), tagManifest);

  const signature = await opts.signer.sign(tagManifest);
  // A wrong signature would make a package that fails in court: check it before it is written.
  if (signature.length !== SIGNATURE_BYTES || !verifySignature(null, tagManifest, publicKeyPem, signature))
    throw new BagWriteError('invalid', SIGNATURE_NAME, 'the signer returned a signature its own public key rejects');
  await writeNewFile(join(root, SIGNATURE_NAME), signature);

  for (const d of folders) await fsyncDir(join(root, d));
  await fsyncDir(root);
  return { tagManifestSha256: sha256(tagManifest), payloadBytes: bytesTotal, payloadFiles: payload.length };
}
