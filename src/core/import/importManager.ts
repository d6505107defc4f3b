import { randomUUID } from 'node:crypto';
import type { EventPayload } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { FileNamePattern, ImportProgress, ImportRecord } from '../../shared/schemas';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import type { MediaTools } from '../media/tools/binaries';
import { HashCopier } from '../store/hashCopy';
import type { StationLayout } from '../store/layout';
import { stationTimestamp } from '../util/time';
import { ensureFreeSpace } from './freeSpace';
import type { ImportFileContext } from './importFile';
import { commitOutcomes } from './commitOutcomes';
import { runImportPipeline } from './importPipeline';
import { finishImport, getImportRecord, insertImport } from './importRepo';
import { StoreIntentWindow } from './storeIntentWindow';
import { scanSources, type SourceFile } from './scanSources';
import type { SourceGate } from './sourcePolicy';
import { describeSourceDevice } from './sourceDevice';
import { clearImportIntents, insertImportPlan } from '../store/storeIntents';
import { prestartProcessLauncher } from '../media/tools/runProcess';

export interface ImportManagerDeps {
  db: WritableDB;
  layout: StationLayout;
  tools: MediaTools;
  log: Logger;
  now: () => Date;
  station: () => string;
  patterns: () => FileNamePattern[];
  emitProgress(p: ImportProgress): void;
  emitFileDone(p: EventPayload<'import.fileDone'>): void;
  emitFinished(record: ImportRecord): void;
  /** The engine's guarded custody append (`custody/guardedAppend.ts`). */
  append: AppendEntry;
  onItemsAdded(itemIds: string[]): void;
  beforeVerify?: ImportFileContext['beforeVerify'];
  /** Test seam: runs after the scan, before any file is opened, to swap files under the import. */
  afterScan?: (files: readonly SourceFile[]) => Promise<void>;
  /** Start the next import's workers now (EngineOptions.warmImport); default true. */
  warm?: boolean;
}

interface Running {
  controller: AbortController;
  done: Promise<ImportRecord>;
}

const PROGRESS_INTERVAL_MS = 150;

/**
 * Runs imports one at a time (two would fight over the same disk), each to a complete record:
 * every source file listed with exactly one outcome, even when cancelled part-way.
 */
export class ImportManager {
  private readonly running = new Map<string, Running>();
  /**
   * Set, before the first await, by the call that is starting an import: the busy check and the
   * reservation are one synchronous step, so two concurrent calls cannot both pass it.
   */
  private starting = false;
  /** Warmed for the next import; each import takes its own, so cancelling one ends only its worker. */
  private spareCopier: HashCopier | null = null;

  constructor(private readonly deps: ImportManagerDeps) {
    this.spareCopier = new HashCopier();
    // Both workers (copy, and read-back) boot while the engine is idle, not inside the first
    // import: the engine is long-lived (desktop app, daemon). A CLI command opts out (`warm:
    // false`): one that imports nothing would pay for two idle threads.
    if (deps.warm !== false) this.spareCopier.prestart({ reread: true });
  }

  /** `gate` says which paths the calling host may read (see `sourcePolicy.ts`). */
  async start(input: { paths: string[]; includeNonMedia: boolean; actor: string; gate: SourceGate }): Promise<string> {
    if (this.starting || this.running.size > 0) throw new AppError('import.busy');
    this.starting = true;
    // Boots while the sources are scanned and the first file is copied, not in the first probe.
    prestartProcessLauncher();
    try {
      return await this.startReserved(input);
    } finally {
      this.starting = false;
    }
  }

  private takeCopier(): HashCopier {
    const copier = this.spareCopier ?? new HashCopier();
    this.spareCopier = null;
    return copier;
  }

  private async startReserved(input: {
    paths: string[];
    includeNonMedia: boolean;
    actor: string;
    gate: SourceGate;
  }): Promise<string> {
    const { db, now } = this.deps;
    const files = await scanSources(input.paths, input.gate);
    const candidates = files.filter((f) => f.entry === 'file');
    await ensureFreeSpace(
      this.deps.layout.root,
      candidates.reduce((sum, f) => sum + f.size, 0),
    );
    const sourceDevice = await describeSourceDevice(input.paths[0] ?? '/');
    const id = randomUUID();
    const startedAt = stationTimestamp(now());
    inTransaction(db, () => {
      insertImport(db, {
        id,
        account: input.actor,
        station: this.deps.station(),
        startedAt,
        sources: input.paths,
        sourceDevice,
        includeNonMedia: input.includeNonMedia,
      });
      insertImportPlan(db, id, files);
      this.deps.append({
        at: startedAt,
        actor: input.actor,
        station: this.deps.station(),
        action: 'import.start',
        subject: id,
        sha256: null,
        details: {
          sources: input.paths,
          files: files.length,
          bytes: candidates.reduce((s, f) => s + f.size, 0),
          sourceDevice,
          // Storing files that are not media is an administrator's decision: the log says it was taken.
          includeNonMedia: input.includeNonMedia,
        },
      });
    });
    const controller = new AbortController();
    await this.deps.afterScan?.(files);
    const copier = this.takeCopier();
    // The slot frees in the same turn as `import.finished` is emitted (no await in between), so
    // whoever reacts to that event can start the next import; the worker ends after.
    const done = this.run(id, files, { ...input, sourceDevice }, controller.signal, copier).finally(() => {
      this.running.delete(id);
      void copier.close();
    });
    this.running.set(id, { controller, done });
    // A run that cannot write its record (the database's disk is full) rejects `wait()`; it must
    // not also surface as an unhandled rejection. Recovery closes the import on the next start.
    done.catch((error: unknown) =>
      this.deps.log.error('an import ended without its record', { importId: id, error: String(error) }),
    );
    return id;
  }

  cancel(importId: string): void {
    const r = this.running.get(importId);
    if (!r) {
      if (!getImportRecord(this.deps.db, importId)) throw new AppError('import.notFound', { importId });
      return;
    }
    r.controller.abort();
  }

  /** Resolves with the final record once the import has ended. */
  async wait(importId: string): Promise<ImportRecord> {
    const r = this.running.get(importId);
    if (r) return r.done;
    const record = getImportRecord(this.deps.db, importId);
    if (!record) throw new AppError('import.notFound', { importId });
    return record;
  }

  async close(): Promise<void> {
    for (const r of this.running.values()) r.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done.catch(() => undefined)));
    await this.spareCopier?.close();
    this.spareCopier = null;
  }

  private async run(
    id: string,
    files: SourceFile[],
    input: { includeNonMedia: boolean; actor: string; sourceDevice: string | null },
    signal: AbortSignal,
    copier: HashCopier,
  ): Promise<ImportRecord> {
    const { db, now, log } = this.deps;
    const bytesTotal = files.reduce((s, f) => s + f.size, 0);
    let bytesBefore = 0;
    let lastEmit = 0;
    const progress: ImportProgress = {
      importId: id,
      phase: 'scanning',
      currentPath: null,
      fileBytesDone: 0,
      fileBytesTotal: 0,
      filesDone: 0,
      filesTotal: files.length,
      bytesDone: 0,
      bytesTotal,
    };
    const emit = (force: boolean): void => {
      const t = Date.now();
      if (!force && t - lastEmit < PROGRESS_INTERVAL_MS) return;
      lastEmit = t;
      this.deps.emitProgress({ ...progress });
    };
    emit(true);

    const added: string[] = [];
    const intents = new StoreIntentWindow({ db, importId: id, files, now });
    const station = this.deps.station();
    const patterns = this.deps.patterns();
    let filesDone = 0;
    let copying: number | null = null;
    const { cancelled } = await runImportPipeline({
      files,
      signal,
      log,
      contextFor: (ordinal) => {
        const file = files[ordinal]!;
        copying = ordinal;
        progress.currentPath = file.path;
        progress.fileBytesTotal = file.size;
        progress.fileBytesDone = 0;
        return {
          db,
          layout: this.deps.layout,
          copier,
          tools: this.deps.tools,
          importId: id,
          ordinal,
          actor: input.actor,
          station,
          sourceDevice: input.sourceDevice,
          includeNonMedia: input.includeNonMedia,
          patterns,
          now,
          signal,
          intents,
          onPhase: (phase, bytes) => {
            // Only the file being copied moves the bar; earlier ones are probed meanwhile.
            if (copying !== ordinal) return;
            progress.phase = phase;
            // Copying reads the source; verifying re-reads the copy: both count towards the file.
            progress.fileBytesDone = bytes;
            progress.bytesDone = bytesBefore + (phase === 'copying' ? bytes : file.size);
            emit(false);
          },
          append: this.deps.append,
          ...(this.deps.beforeVerify ? { beforeVerify: this.deps.beforeVerify } : {}),
        };
      },
      onStored: (ordinal) => {
        bytesBefore += files[ordinal]!.size;
        progress.bytesDone = bytesBefore;
        if (copying === ordinal) progress.phase = 'probing';
      },
      commit: (group, withCopyStopped) =>
        commitOutcomes(
          db,
          { importId: id, actor: input.actor, station, append: this.deps.append, now },
          group,
          withCopyStopped,
        ),
      onCommitted: (_ordinal, result) => {
        filesDone++;
        progress.filesDone = filesDone;
        if (result.itemId) added.push(result.itemId);
        this.deps.emitFileDone({ importId: id, result });
        emit(true);
      },
    });
    const state: ImportRecord['state'] = cancelled ? 'cancelled' : 'completed';

    const finishedAt = stationTimestamp(now());
    inTransaction(db, () => {
      finishImport(db, id, state, finishedAt);
      clearImportIntents(db, id);
      const record = getImportRecord(db, id);
      this.deps.append({
        at: finishedAt,
        actor: input.actor,
        station: this.deps.station(),
        action: state === 'cancelled' ? 'import.cancel' : 'import.finish',
        subject: id,
        sha256: null,
        details: { counts: record?.counts ?? {}, safeToWipe: record?.safeToWipe ?? false },
      });
    });
    progress.phase = 'done';
    progress.currentPath = null;
    emit(true);
    if (added.length) this.deps.onItemsAdded(added);
    const record = getImportRecord(db, id);
    if (!record) throw new Error(`import ${id} vanished from the database`);
    this.deps.emitFinished(record);
    return record;
  }
}
