import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, lstat, rename, rm, stat, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fsyncDir } from '../store/atomicWrite';
import { HashCopyAbortedError, HashCopyError } from '../store/hashCopy';
import { copyAndReadBack } from './directCopy';
import { ReadBackAbortedError } from './readBack';
import { VerifyAbortedError, verifyPackage } from './verifyPackage';
import { listBagFiles, zipBag, zipSizeBound } from './zipBag';

/**
 * Exports a sealed package to removable media, as the bag folder or one zip. Nothing that looks
 * like a package appears on the medium until it has been written whole, flushed and read back:
 * the copy goes to a hidden temporary name (`.<name>.partial-<random>`), every file and folder is
 * fsynced, the copy is read back from the medium (direct I/O where the file system allows it,
 * so the check reads the medium, not the page cache) and verified, and only then renamed to its
 * name. Any failure or cancel removes the temporary copy.
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
  const message = (error as Error).message;
  // Node's own messages already begin with their code ("ENOENT: no such file…"): not twice.
  const reason = code && !message.startsWith(`${code}:`) ? `${code}: ${message}` : message;
  return new AppError('export.failed', { reason }, { cause: error });
}

export async function exportBag(opts: ExportBagOptions): Promise<ExportBagResult> {
  const { bagDir, destDir, signal } = opts;
  await checkDestination(destDir);
  const name = basename(bagDir);
  const files = await listBagFiles(bagDir);
  const sized = await Promise.all(files.map(async (path) => ({ path, size: (await stat(join(bagDir, path))).size })));
  const payloadBytes = sized.reduce((a, f) => a + f.size, 0);
  const needed = (opts.zip ? zipSizeBound(sized, name) : payloadBytes) + SPACE_MARGIN_BYTES;
  const fs = await statfs(destDir);
  const available = fs.bavail * fs.bsize;
  if (available < needed) throw new AppError('export.insufficientSpace', { needed, available });
  if (signal?.aborted) throw new AppError('export.cancelled');

  const finalName = (await pickExportName(destDir, name)) + (opts.zip ? '.zip' : '');
  const tmp = join(destDir, `.${finalName}.partial-${randomBytes(6).toString('hex')}`);
  const finalPath = join(destDir, finalName);
  const report = progressReporter(opts);
  let renamed = false;
  try {
    let bytes: number;
    let readBackHashes: Map<string, string> | undefined;
    if (opts.zip) {
      const bound = zipSizeBound(sized, name);
      bytes = await zipBag(bagDir, tmp, {
        bagName: name,
        forceZip64: opts.forceZip64,
        signal,
        onProgress: (written) => report('copy', written, bound),
      });
    } else {
      ({ bytes, readBackHashes } = await copyAndReadBack(bagDir, tmp, sized, {
        signal,
        onProgress: (done) => report('copy', done, payloadBytes),
      }));
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
    // The name is checked again: another export may have taken it while this one was writing.
    if (await exists(finalPath)) throw new AppError('export.failed', { reason: `${finalName} appeared meanwhile` });
    await rename(tmp, finalPath);
    renamed = true;
    await fsyncDir(destDir);
    return { path: finalPath, bytes };
  } catch (error) {
    await rm(renamed ? finalPath : tmp, { recursive: true, force: true }).catch(() => undefined);
    throw toAppError(error);
  }
}
