import { randomUUID } from 'node:crypto';
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
import { setStoreIntentHash } from '../store/storeIntents';

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
  /** Cancels the copy in flight; a file already stored is finished (see `describeStoredFile`). */
  signal: AbortSignal;
  onPhase(phase: 'copying' | 'verifying', bytes: number): void;
  /** The temporary file's name for this file, its store intent already committed. */
  intents: { tempNameFor(ordinal: number): string };
  /** Resolves once no earlier file of this import with these bytes is stored and still uncommitted. */
  settledSameHash(sha256: string): Promise<void>;
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

/** What an item row needs, before the custody entry that it references is written. */
export type NewItem = Parameters<typeof insertItem>[1];

/**
 * A file's outcome, decided but not yet committed: its import-file row, the custody entry that
 * goes with it (none for a skipped file), the item (stored files only) and where its stored copy
 * is (so a commit that fails can remove it again).
 */
export interface FileOutcome {
  ordinal: number;
  result: ImportFileResult;
  custody?: CustodyInput;
  item?: NewItem;
  stored?: string;
}

/** A file copied, verified and in the store, not yet probed or recorded. */
export interface StoredFile {
  ordinal: number;
  src: SourceFile;
  base: ImportFileResult;
  kind: MediaKind;
  sha256: string;
  stored: string;
}

export function isStoredFile(x: StoredFile | FileOutcome): x is StoredFile {
  return 'src' in x;
}

/**
 * Writes one outcome inside the caller's transaction: custody entry, then the item referencing
 * it, its derived-media jobs, then the import-file row. Several files' outcomes may share one
 * transaction (`outcomeGroups.ts`); each still has its own entry and row.
 */
export function writeOutcome(
  db: WritableDB,
  opts: { importId: string; append: AppendEntry; now: () => Date },
  outcome: FileOutcome,
): void {
  if (outcome.custody) {
    const entry = opts.append(outcome.custody);
    const item = outcome.item;
    if (item) {
      insertItem(db, { ...item, custodySeq: entry.seq });
      // An undecodable file has nothing ffmpeg could draw a poster or a proxy from.
      if (item.status === 'ok') enqueueDerivedFor(db, item.id, item.media, opts.now());
    }
  }
  insertImportFile(db, opts.importId, outcome.ordinal, outcome.result);
}

/**
 * The outcome of a file that was read but could not be kept (a bad copy, a vanished card, a commit
 * that failed), or was skipped. A failure is an event in the life of the evidence: it goes on the
 * custody log, under the import, with what was known of it.
 */
export function unkeptOutcome(
  file: ImportFileResult,
  ctx: Pick<ImportFileContext, 'importId' | 'actor' | 'station' | 'now'> & { ordinal: number },
  status: ImportFileResult['status'],
  reasonCode: ImportReasonCode,
  detail: string | null = null,
): FileOutcome {
  const result: ImportFileResult = {
    ...file,
    status,
    itemId: null,
    duplicateOf: null,
    reasonCode,
    reasonDetail: detail,
  };
  if (status !== 'failed') return { ordinal: ctx.ordinal, result };
  return {
    ordinal: ctx.ordinal,
    result,
    custody: {
      at: stationTimestamp(ctx.now()),
      actor: ctx.actor,
      station: ctx.station,
      action: 'import.failed',
      subject: ctx.importId,
      sha256: file.sha256,
      details: {
        sourcePath: file.path,
        relativePath: file.relativePath,
        size: file.size,
        reasonCode,
        reason: detail,
      },
    },
  };
}

/**
 * Takes one source file up to the store, or to an outcome that keeps nothing. The source is opened
 * read-only and read once: hashed while it is copied to a temporary file, flushed to the disk slice
 * by slice, each slice read back from the disk (direct I/O) and hashed on the other core while the
 * next is copied; the copy is fsynced, its read-back hash compared with the source's, and only a
 * copy that matches is renamed into the store (file and directory fsynced). Probing and recording
 * follow in `describeStoredFile` and the outcome's commit.
 */
export async function storeOneFile(src: SourceFile, ctx: ImportFileContext): Promise<StoredFile | FileOutcome> {
  const outcome = (status: ImportFileResult['status'], reasonCode: ImportReasonCode, detail: string | null = null) =>
    unkeptOutcome(fileResultOf(src), ctx, status, reasonCode, detail);

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
  // Committed before the first byte is copied: whatever this copy leaves behind, recovery knows it.
  const tempName = ctx.intents.tempNameFor(ctx.ordinal);
  const temp = join(ctx.layout.tmpDir, tempName);
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
  const base: ImportFileResult = { ...fileResultOf(src), sha256 };
  // Committed before the rename: a stored copy without an item is discarded by recovery only
  // when an intent names its hash.
  inTransaction(ctx.db, () => setStoreIntentHash(ctx.db, ctx.importId, ctx.ordinal, sha256));

  // The same bytes earlier in this import may be stored but not yet committed: wait for that
  // outcome, so this file becomes its duplicate instead of a second copy under the same name.
  await ctx.settledSameHash(sha256);
  const existing = findItemIdBySha(ctx.db, sha256);
  if (existing) {
    await removeOwnFile(temp);
    return {
      ordinal: ctx.ordinal,
      result: { ...base, status: 'duplicate', duplicateOf: existing },
      custody: {
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
    };
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
    if (error instanceof StoreFileError) return unkeptOutcome(base, ctx, 'failed', error.kind, error.message);
    throw error;
  }
  return { ordinal: ctx.ordinal, src, base, kind, sha256, stored };
}

/**
 * Probes a stored file (ffprobe / exifr, file-name patterns, recorded-time rules) and describes
 * its outcome: `imported`, or `undecodable` (still stored as evidence, with the reason). The probe
 * is not cancelled with the import: the file is already verified and stored, and finishing it
 * keeps what was done (a probe has its own time limit).
 */
export async function describeStoredFile(
  file: StoredFile,
  ctx: Pick<ImportFileContext, 'tools' | 'patterns' | 'now' | 'importId' | 'actor' | 'station' | 'sourceDevice'>,
): Promise<FileOutcome> {
  const { src, base, sha256, kind } = file;
  let media: MediaInfo = { kind };
  let status: 'imported' | 'undecodable' = 'imported';
  let reason: string | null = null;
  if (kind !== 'other') {
    const probe = await probeMedia(ctx.tools, file.stored, {
      fileName: src.originalName,
      modifiedAt: src.modifiedAt,
      patterns: ctx.patterns,
      stationOffsetMinutes: localOffsetMinutes(src.modifiedAt ?? ctx.now()),
    });
    if (probe.ok) media = probe.info;
    else {
      media = probe.partial;
      status = 'undecodable';
      reason = probe.reason;
    }
  }

  const itemId = randomUUID();
  const importedAt = stationTimestamp(ctx.now());
  return {
    ordinal: file.ordinal,
    stored: file.stored,
    result: {
      ...base,
      status,
      itemId,
      reasonCode: status === 'undecodable' ? 'probeFailed' : null,
      reasonDetail: reason,
    },
    custody: {
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
    item: {
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
  };
}

export async function removeTemp(path: string): Promise<void> {
  await rm(path, { force: true });
}
