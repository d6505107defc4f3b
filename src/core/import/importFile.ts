import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportFileResult, ImportReasonCode, MediaInfo, MediaKind } from '../../shared/schemas';
import { inTransaction, type WritableDB } from '../db/database';
import type { CustodyInput } from '../custody/custodyLog';
import type { AppendEntry } from '../custody/guardedAppend';
import { insertImportFile } from './importRepo';
import { findItemIdBySha, insertItem } from '../library/itemsRepo';
import { enqueueDerivedFor } from '../jobs/derivedRepo';
import type { FlushedSlice, HashCopier, HashResult } from '../store/hashCopy';
import { HashCopyAbortedError, HashCopyError } from '../store/hashCopy';
import type { StationLayout } from '../store/layout';
import { placeInStore, removeOwnFile, StoreFileError } from '../store/placeInStore';
import type { SourceFile } from './scanSources';
import { SNIFF_BYTES, kindByExtension, sniffKind } from '../media/probe/classify';
import { SourceOpenError, readSourceHead, type SourceIdentity } from '../store/openSource';
import { probeMedia } from '../media/probe/probeMedia';
import type { MediaTools } from '../media/tools/binaries';
import type { FileNamePattern } from '../../shared/schemas';
import { stationTimestamp, localOffsetMinutes } from '../util/time';
import { recordStoreIntent, setStoreIntentHash } from '../store/storeIntents';

export interface ImportFileContext {
  db: WritableDB;
  layout: StationLayout;
  copier: HashCopier;
  tools: MediaTools;
  importId: string;
  ordinal: number;
  actor: string;
  station: string;
  sourceDevice: string | null;
  includeNonMedia: boolean;
  patterns: FileNamePattern[];
  now: () => Date;
  signal: AbortSignal;
  onPhase(phase: 'copying' | 'verifying' | 'probing' | 'recording', bytes: number): void;
  /** The engine's guarded custody append (`custody/guardedAppend.ts`). */
  append: AppendEntry;
  /**
   * Test seam: runs after each slice of the copy is flushed and before it is read back, to prove
   * a bad copy is caught.
   */
  beforeVerify?: (copyPath: string, slice: FlushedSlice) => Promise<void>;
}

export class ImportCancelledError extends Error {
  constructor() {
    super('the import was cancelled');
    this.name = 'ImportCancelledError';
  }
}

function reasonFromCopyError(error: HashCopyError): ImportReasonCode {
  return error.kind;
}

/** A source file's line in the import record, before its outcome is known. */
export function fileResultOf(src: SourceFile): ImportFileResult {
  return {
    path: src.path,
    relativePath: src.relativePath,
    originalName: src.originalName,
    size: src.size,
    modifiedAt: src.modifiedAt ? stationTimestamp(src.modifiedAt) : null,
    sha256: null,
    status: 'skipped',
    itemId: null,
    duplicateOf: null,
    reasonCode: null,
    reasonDetail: null,
  };
}

/**
 * Takes one source file to exactly one outcome. The source is opened read-only and read once:
 * hashed while it is copied to a temporary file, flushed to the disk slice by slice, each slice
 * read back from the disk (direct I/O) and hashed on the other core while the next is copied; the
 * copy is fsynced, its read-back hash compared with the source's, and only a copy that matches is
 * renamed into the store, probed, and recorded with its custody entry in one transaction.
 */
export async function importOneFile(src: SourceFile, ctx: ImportFileContext): Promise<ImportFileResult> {
  const base = fileResultOf(src);
  const finish = (result: ImportFileResult, custody?: CustodyInput, item?: Parameters<typeof insertItem>[1]) => {
    inTransaction(ctx.db, () => {
      if (custody) {
        const entry = ctx.append(custody);
        if (item) {
          insertItem(ctx.db, { ...item, custodySeq: entry.seq });
          // An undecodable file has nothing ffmpeg could draw a poster or a proxy from.
          if (item.status === 'ok') enqueueDerivedFor(ctx.db, item.id, item.media, ctx.now());
        }
      }
      insertImportFile(ctx.db, ctx.importId, ctx.ordinal, result);
    });
    return result;
  };
  // A file that was read but could not be kept is an event in the life of the evidence (a bad copy,
  // a vanished card): it goes on the custody log, under the import, with what was known of it.
  const outcome = (status: ImportFileResult['status'], reasonCode: ImportReasonCode, detail: string | null = null) =>
    finish(
      { ...base, status, reasonCode, reasonDetail: detail },
      status === 'failed'
        ? {
            at: stationTimestamp(ctx.now()),
            actor: ctx.actor,
            station: ctx.station,
            action: 'import.failed',
            subject: ctx.importId,
            sha256: base.sha256,
            details: {
              sourcePath: src.path,
              relativePath: src.relativePath,
              size: src.size,
              reasonCode,
              reason: detail,
            },
          }
        : undefined,
    );

  if (src.entry === 'refused') return outcome('skipped', src.refusal ?? 'folderUnreadable', src.refusalDetail ?? null);
  if (src.entry === 'symlink') return outcome('skipped', 'notMedia', 'symbolic link, not followed');
  if (src.entry === 'special') return outcome('skipped', 'notMedia', 'not a regular file');
  if (src.size === 0) return outcome('skipped', 'empty');

  const expected: SourceIdentity | null =
    src.dev !== null && src.ino !== null ? { dev: src.dev, ino: src.ino, size: src.size } : null;
  let kind: MediaKind | null = kindByExtension(src.originalName);
  if (!kind) {
    let header: Buffer;
    try {
      header = await readSourceHead(src.path, expected, SNIFF_BYTES);
    } catch (error) {
      if (error instanceof SourceOpenError) return outcome('failed', error.kind, error.message);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return outcome('failed', 'vanished', 'the file was gone when opened');
      if (code === 'EACCES' || code === 'EPERM') return outcome('failed', 'permissionDenied', code);
      return outcome('failed', 'unreadable', code ?? (error as Error).message);
    }
    kind = sniffKind(header);
  }
  if (!kind) {
    if (!ctx.includeNonMedia) return outcome('skipped', 'notMedia');
    kind = 'other';
  }

  await mkdir(ctx.layout.tmpDir, { recursive: true });
  const tempName = `${randomBytes(12).toString('hex')}.part`;
  const temp = join(ctx.layout.tmpDir, tempName);
  // Committed before the first byte is copied: whatever this copy leaves behind, recovery knows it.
  inTransaction(ctx.db, () =>
    recordStoreIntent(ctx.db, ctx.importId, ctx.ordinal, tempName, stationTimestamp(ctx.now())),
  );
  let sha256: string;
  let reread: HashResult | undefined;
  try {
    ctx.onPhase('copying', 0);
    const beforeVerify = ctx.beforeVerify;
    const copied = await ctx.copier.copy(src.path, temp, {
      expected,
      signal: ctx.signal,
      onProgress: (bytes) => ctx.onPhase('copying', bytes),
      reread: true,
      onRereadProgress: (bytes) => ctx.onPhase('verifying', bytes),
      ...(beforeVerify ? { beforeReread: (path: string, slice: FlushedSlice) => beforeVerify(path, slice) } : {}),
    });
    sha256 = copied.sha256;
    reread = copied.reread;
  } catch (error) {
    await removeOwnFile(temp);
    if (error instanceof HashCopyAbortedError || ctx.signal.aborted) throw new ImportCancelledError();
    if (error instanceof HashCopyError) return outcome('failed', reasonFromCopyError(error), error.message);
    throw error;
  }
  base.sha256 = sha256;
  inTransaction(ctx.db, () => setStoreIntentHash(ctx.db, ctx.importId, ctx.ordinal, sha256));

  const existing = findItemIdBySha(ctx.db, sha256);
  if (existing) {
    await removeOwnFile(temp);
    return finish(
      { ...base, status: 'duplicate', duplicateOf: existing },
      {
        at: stationTimestamp(ctx.now()),
        actor: ctx.actor,
        station: ctx.station,
        action: 'import.duplicate',
        subject: existing,
        sha256,
        details: {
          importId: ctx.importId,
          sourcePath: src.path,
          relativePath: src.relativePath,
          sourceDevice: ctx.sourceDevice,
        },
      },
    );
  }

  let stored: string;
  try {
    stored = await placeInStore({
      layout: ctx.layout,
      copier: ctx.copier,
      temp,
      sha256,
      bytes: src.size,
      signal: ctx.signal,
      verify: 'rereadDuringCopy',
      ...(reread ? { reread } : {}),
    });
  } catch (error) {
    if (error instanceof HashCopyAbortedError || ctx.signal.aborted) throw new ImportCancelledError();
    if (error instanceof StoreFileError) return outcome('failed', error.kind, error.message);
    throw error;
  }

  ctx.onPhase('probing', src.size);
  let media: MediaInfo = { kind };
  let status: 'imported' | 'undecodable' = 'imported';
  let reason: string | null = null;
  if (kind !== 'other') {
    const probe = await probeMedia(ctx.tools, stored, {
      fileName: src.originalName,
      modifiedAt: src.modifiedAt,
      patterns: ctx.patterns,
      stationOffsetMinutes: localOffsetMinutes(src.modifiedAt ?? ctx.now()),
      signal: ctx.signal,
    });
    if (ctx.signal.aborted) {
      await removeOwnFile(stored);
      throw new ImportCancelledError();
    }
    if (probe.ok) media = probe.info;
    else {
      media = probe.partial;
      status = 'undecodable';
      reason = probe.reason;
    }
  }

  ctx.onPhase('recording', src.size);
  const itemId = randomUUID();
  const importedAt = stationTimestamp(ctx.now());
  try {
    return finish(
      { ...base, status, itemId, reasonCode: status === 'undecodable' ? 'probeFailed' : null, reasonDetail: reason },
      {
        at: importedAt,
        actor: ctx.actor,
        station: ctx.station,
        action: 'import',
        subject: itemId,
        sha256,
        details: {
          importId: ctx.importId,
          originalName: src.originalName,
          relativePath: src.relativePath,
          sourcePath: src.path,
          sourceDevice: ctx.sourceDevice,
          size: src.size,
          modifiedAt: base.modifiedAt,
          outcome: status,
          kind: media.kind,
        },
      },
      {
        id: itemId,
        sha256,
        size: src.size,
        originalName: src.originalName,
        relativePath: src.relativePath,
        sourcePath: src.path,
        sourceDevice: ctx.sourceDevice,
        modifiedAt: base.modifiedAt,
        kind: media.kind,
        status: status === 'undecodable' ? 'undecodable' : 'ok',
        reason,
        importId: ctx.importId,
        importedAt,
        importedBy: ctx.actor,
        media,
        custodySeq: 0,
      },
    );
  } catch (error) {
    // The transaction rolled back: the stored copy has no record and must not stay.
    await removeOwnFile(stored);
    // A full disk (or any failed commit) is a failure of this file like any other: it gets its
    // `import.failed` entry when the database can take one (the copy's removal freed space).
    const code = (error as { code?: unknown }).code;
    const diskFull = code === 'SQLITE_FULL' || code === 'ENOSPC';
    try {
      return outcome('failed', diskFull ? 'diskFull' : 'storeError', (error as Error).message);
    } catch {
      throw error;
    }
  }
}

export async function removeTemp(path: string): Promise<void> {
  await rm(path, { force: true });
}
