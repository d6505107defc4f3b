import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, rm, stat, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fsyncDir } from '../store/atomicWrite';
import { HashCopyAbortedError, HashCopyError } from '../store/hashCopy';
import { copyAndReadBack } from './directCopy';
import { ReadBackAbortedError } from './readBack';
import { VerifyAbortedError, verifyPackage } from './verifyPackage';
import { listBagFiles, zipBag, zipSizeBound } from './zipBag';
import type { Logger } from '../engineApi';
import { publishExport } from './publishExport';
import { validateSealStatements, writeSealStatements, type SealStatement } from './sealStatements';
import { ExportMarker, removeStaleExports, type ExportOwner } from './staleExports';

/**
 * Exports a sealed package to removable media, as the bag folder or one zip. Nothing that looks
 * like a package appears on the medium until it has been written whole, flushed and read back:
 * the copy goes to a hidden temporary name (`.<name>.partial-<random>`), every file and folder is
 * fsynced, the copy is read back from the medium (direct I/O where the file system allows it,
 * so the check reads the medium, not the page cache) and verified, and only then given its name,
 * in a way that never replaces anything that appeared there meanwhile (publishExport.ts). Any
 * failure or cancel removes the temporary copy; what a killed export leaves, the next export of
 * the same station to the same folder removes (staleExports.ts).
 *
 * The copy carries, besides the sealed bag, the statements the caller gives (`sealStatements`: the
 * station's latest signed custody checkpoint) under `seal/`, outside the tag manifest, so the
 * sealed bytes are the same on every export.
 *
 * An export never overwrites: when `<name>` or `<name>.zip` is taken on the medium, the package
 * is written as `<name>_2`, `<name>_3`, … (no spaces or brackets, so every command in the report
 * works unquoted). Inside a zip the folder keeps the package's own name.
 */

export interface ExportBagProgress {
  phase: 'copy' | 'verify';
  bytesDone: number;
  bytesTotal: number;
  etaSec: number | null;
}

export interface ExportBagOptions {
  /** The sealed bag folder in the station's store. */
  bagDir: string;
  /** An existing, writable folder on the target medium. */
  destDir: string;
  zip: boolean;
  /** The sealing key's fingerprint: the copy must be signed by it. */
  expectFingerprint: string;
  signal?: AbortSignal;
  onProgress?: (progress: ExportBagProgress) => void;
  /** ZIP64 structures even for a small zip (tests). */
  forceZip64?: boolean;
  /** Signed statements added under `seal/` in the copy, outside the tag manifest (the custody checkpoint). */
  sealStatements?: readonly SealStatement[];
  /**
   * The station writing: its exports leave an owner marker beside their temporary copy, and the
   * temporary copies its killed exports left in `destDir` are removed first (staleExports.ts).
   */
  owner?: ExportOwner;
  log?: Pick<Logger, 'warn'>;
  /** Tests: runs just before the final name is taken, to make something appear there meanwhile. */
  beforePublish?: (finalPath: string) => Promise<void>;
}

export interface ExportBagResult {
  /** The bag folder or zip written and verified. */
  path: string;
  bytes: number;
}

/** Room left besides the package: the file system's own bookkeeping and the folders. */
const SPACE_MARGIN_BYTES = 1024 * 1024;
const MAX_SUFFIX = 999;

/** Progress with a rate-based estimate of the time left. */
function progressReporter(opts: ExportBagOptions): (phase: 'copy' | 'verify', done: number, total: number) => void {
  let phaseStart = { phase: '', at: 0 };
  return (phase, done, total) => {
    const now = performance.now();
    if (phaseStart.phase !== phase) phaseStart = { phase, at: now };
    const elapsed = (now - phaseStart.at) / 1000;
    const etaSec = done > 0 && elapsed > 0.5 ? Math.max(0, ((total - done) * elapsed) / done) : null;
    opts.onProgress?.({ phase, bytesDone: done, bytesTotal: total, etaSec });
  };
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

/** `<name>`, else `<name>_2`, `<name>_3`, …: the first not taken as a folder or as a zip. */
export async function pickExportName(destDir: string, name: string): Promise<string> {
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const candidate = n === 1 ? name : `${name}_${n}`;
    if (!(await exists(join(destDir, candidate))) && !(await exists(join(destDir, `${candidate}.zip`))))
      return candidate;
  }
  throw new AppError('export.destination', { path: destDir });
}

async function checkDestination(destDir: string): Promise<void> {
  try {
    const info = await stat(destDir);
    if (!info.isDirectory()) throw new Error('not a folder');
    await access(destDir, constants.W_OK);
  } catch (error) {
    throw new AppError('export.destination', { path: destDir }, { cause: error });
  }
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (
    error instanceof HashCopyAbortedError ||
    error instanceof VerifyAbortedError ||
    error instanceof ReadBackAbortedError
  )
    return new AppError('export.cancelled');
  if ((error as Error).name === 'AbortError') return new AppError('export.cancelled');
  const code = error instanceof HashCopyError ? error.code : ((error as NodeJS.ErrnoException).code ?? null);
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('export.insufficientSpace', {}, { cause: error });
  const reason = code ? `${code}: ${(error as Error).message}` : (error as Error).message;
  return new AppError('export.failed', { reason }, { cause: error });
}

export async function exportBag(opts: ExportBagOptions): Promise<ExportBagResult> {
  const { bagDir, destDir, signal } = opts;
  await checkDestination(destDir);
  const statements = opts.sealStatements ?? [];
  validateSealStatements(statements);
  // Before the space check: what a killed export of this station left takes room too.
  if (opts.owner) await removeStaleExports(destDir, opts.owner, (message, fields) => opts.log?.warn(message, fields));
  const name = basename(bagDir);
  const files = await listBagFiles(bagDir);
  const sized = await Promise.all(files.map(async (path) => ({ path, size: (await stat(join(bagDir, path))).size })));
  const statementBytes = statements.reduce((a, f) => a + f.bytes.length, 0);
  const payloadBytes = sized.reduce((a, f) => a + f.size, 0);
  const zipBound = zipSizeBound([...sized, ...statements.map((f) => ({ path: f.path, size: f.bytes.length }))], name);
  const needed = (opts.zip ? zipBound : payloadBytes + statementBytes) + SPACE_MARGIN_BYTES;
  const fs = await statfs(destDir);
  const available = fs.bavail * fs.bsize;
  if (available < needed) throw new AppError('export.insufficientSpace', { needed, available });
  if (signal?.aborted) throw new AppError('export.cancelled');

  // The temporary name only; the final one is taken when the copy is published (publishExport.ts).
  const partialName = `.${await pickExportName(destDir, name)}${opts.zip ? '.zip' : ''}.partial-${randomBytes(6).toString('hex')}`;
  const tmp = join(destDir, partialName);
  const report = progressReporter(opts);
  let marker: ExportMarker | null = null;
  let published = false;
  try {
    if (opts.owner) marker = await ExportMarker.write(destDir, partialName, opts.owner);
    let bytes: number;
    let readBackHashes: Map<string, string> | undefined;
    if (opts.zip) {
      bytes = await zipBag(bagDir, tmp, {
        bagName: name,
        forceZip64: opts.forceZip64,
        extraFiles: statements,
        signal,
        onProgress: (written) => report('copy', written, zipBound),
      });
    } else {
      ({ bytes, readBackHashes } = await copyAndReadBack(bagDir, tmp, sized, {
        signal,
        onProgress: (done) => report('copy', done, payloadBytes),
      }));
      await writeSealStatements(tmp, statements);
      bytes += statementBytes;
    }
    await fsyncDir(destDir);
    report('copy', bytes, bytes);
    const verdict = await verifyPackage(tmp, {
      expectFingerprint: opts.expectFingerprint,
      directIo: true,
      ...(readBackHashes ? { readBackHashes } : {}),
      signal,
      onProgress: (done, total) => report('verify', done, total),
    });
    if (!verdict.ok) throw new AppError('export.verifyFailed', { problems: verdict.problems.length });
    if (signal?.aborted) throw new AppError('export.cancelled');
    const owned = marker;
    const finalPath = await publishExport({
      tmp,
      destDir,
      name,
      zip: opts.zip,
      ...(owned ? { onReserve: (finalName: string) => owned.reserve(finalName) } : {}),
      ...(opts.beforePublish ? { beforeTake: opts.beforePublish } : {}),
    });
    published = true;
    await marker?.remove();
    return { path: finalPath, bytes };
  } catch (error) {
    if (!published) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      await marker?.remove().catch(() => undefined);
    }
    throw toAppError(error);
  }
}
