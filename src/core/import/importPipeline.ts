import type { ImportFileResult } from '../../shared/schemas';
import type { Logger } from '../engineApi';
import { removeOwnFile } from '../store/placeInStore';
import {
  ImportCancelledError,
  describeStoredFile,
  fileResultOf,
  isStoredFile,
  storeOneFile,
  type FileOutcome,
  type ImportFileContext,
  type StoredFile,
} from './importFile';
import { OutcomeGroups } from './outcomeGroups';
import type { SourceFile } from './scanSources';

/** Files between the start of their copy and a decided outcome; bounds memory and the stored-but-unrecorded. */
export const PIPELINE_FILES = 6;
/** ffprobe runs at once: one per core, while the copy of the next file waits mostly on the disk. */
export const PROBES_AT_ONCE = 2;

export type CopyPause = <T>(fn: () => Promise<T>) => Promise<T>;

export interface PipelineOptions {
  files: readonly SourceFile[];
  signal: AbortSignal;
  log: Logger;
  /** The context of one file's copy (everything but the hooks this pipeline adds). */
  contextFor(ordinal: number): Omit<ImportFileContext, 'settledSameHash'>;
  /**
   * Writes a group of outcomes, in ordinal order, each file with its custody entry (see
   * `commitOutcomes`). `withCopyStopped` runs its argument once the copy in flight (if any) has
   * ended and holds the next one back until it is done: a commit that found the disk full tries
   * again there, as it would have found the disk had files gone one by one.
   */
  commit(group: FileOutcome[], withCopyStopped: CopyPause): Promise<ImportFileResult[]>;
  /** A file's outcome is committed; called in ordinal order. */
  onCommitted(ordinal: number, result: ImportFileResult): void;
  /** A file's copy has ended (stored or not); its probe and commit may still follow. */
  onStored?(ordinal: number): void;
  filesInFlight?: number;
  probesAtOnce?: number;
}

/**
 * Runs an import's files as a bounded pipeline over both cores: one file is copied (hash, fsync,
 * read back from the disk on the other worker) while earlier ones are probed, at most
 * `probesAtOnce` at a time, and their outcomes are committed in groups (`OutcomeGroups`). Every
 * file keeps each guarantee it had when files went one by one: its copy is fsynced (file and
 * directory) and verified by re-reading before it is placed, it is recorded with its own custody
 * entry, and the store intent committed before its copy lets recovery undo whatever a kill leaves
 * (a stored copy whose group never committed is discarded after a re-hash, and its file is listed as
 * interrupted). Resolves with whether the import was cancelled, once every outcome is committed.
 */
export async function runImportPipeline(opts: PipelineOptions): Promise<{ cancelled: boolean }> {
  const { files, signal, log } = opts;
  const maxInFlight = opts.filesInFlight ?? PIPELINE_FILES;
  const probes = new Slots(opts.probesAtOnce ?? PROBES_AT_ONCE);
  const inFlight = new Slots(maxInFlight);
  /** Stored copies not yet committed, by hash: a later file with the same bytes waits for them. */
  const uncommitted = new Map<string, Promise<void>>();
  const commits: Promise<void>[] = [];
  let cancelled = false;

  /** Ends when the current file's copy has (its bytes written or removed); null between files. */
  let copyInFlight: Promise<void> | null = null;
  /** Set while a commit needs the copy stage stopped; the next copy waits for it. */
  let held: Promise<void> | null = null;
  const withCopyStopped: CopyPause = async (fn) => {
    while (held) await held;
    let release: () => void = () => undefined;
    held = new Promise<void>((resolve) => (release = resolve));
    try {
      await copyInFlight;
      return await fn();
    } finally {
      held = null;
      release();
    }
  };

  const groups = new OutcomeGroups<FileOutcome>(async (group) => {
    const results = await opts.commit(group, withCopyStopped);
    group.forEach((o, i) => opts.onCommitted(o.ordinal, results[i]!));
  });
  let idleCheck: NodeJS.Immediate | null = null;
  const decided = (outcome: FileOutcome): Promise<void> => {
    const committed = groups.add(outcome);
    // Rejections surface from `groups.end()` below; this copy of the promise only keeps order.
    committed.catch(() => undefined);
    commits.push(committed);
    inFlight.release();
    // Nothing else on its way (looked at once the loop has had its turn to start the next file):
    // waiting for company would only delay this outcome.
    idleCheck ??= setImmediate(() => {
      idleCheck = null;
      if (inFlight.busy === 0) groups.flushNow();
    });
    return committed;
  };
  const unprocessed = (ordinal: number, reasonCode: 'cancelled' | 'storeError', detail: string | null = null) => {
    const result: ImportFileResult = {
      ...fileResultOf(files[ordinal]!),
      status: 'failed',
      reasonCode,
      reasonDetail: detail,
    };
    return { ordinal, result };
  };

  const finishStored = async (stored: StoredFile, ctx: Omit<ImportFileContext, 'settledSameHash'>): Promise<void> => {
    let outcome: FileOutcome;
    try {
      outcome = await probes.run(() => describeStoredFile(stored, ctx));
    } catch (error) {
      // Probing never fails for a bad file (that is `undecodable`): this is the station's own fault.
      log.error('import of a file failed unexpectedly', { path: stored.src.path, error: String(error) });
      await removeOwnFile(stored.stored);
      outcome = unprocessed(stored.ordinal, 'storeError', (error as Error).message);
    }
    await decided(outcome);
  };

  for (const [ordinal, file] of files.entries()) {
    await inFlight.take();
    if (signal.aborted) {
      cancelled = true;
      decided(unprocessed(ordinal, 'cancelled'));
      continue;
    }
    while (held) await held;
    const ctx = opts.contextFor(ordinal);
    let stored: StoredFile | FileOutcome;
    let copyEnded: () => void = () => undefined;
    copyInFlight = new Promise<void>((resolve) => (copyEnded = resolve));
    try {
      stored = await storeOneFile(file, {
        ...ctx,
        settledSameHash: async (sha256) => {
          // The copy is done and verified; what follows adds nothing to the disk but a name.
          copyEnded();
          const earlier = uncommitted.get(sha256);
          if (!earlier) return;
          groups.flushNow();
          await earlier;
        },
      });
    } catch (error) {
      if (error instanceof ImportCancelledError) {
        cancelled = true;
        decided(unprocessed(ordinal, 'cancelled'));
        continue;
      }
      log.error('import of a file failed unexpectedly', { path: file.path, error: String(error) });
      decided(unprocessed(ordinal, 'storeError', (error as Error).message));
      continue;
    } finally {
      copyEnded();
      copyInFlight = null;
    }
    opts.onStored?.(ordinal);
    if (!isStoredFile(stored)) {
      decided(stored);
      continue;
    }
    const sha256 = stored.sha256;
    // Settles when the outcome is committed, or when its commit failed (the copy is gone then).
    const settled = finishStored(stored, ctx).then(
      () => undefined,
      () => undefined,
    );
    uncommitted.set(sha256, settled);
    void settled.then(() => {
      if (uncommitted.get(sha256) === settled) uncommitted.delete(sha256);
    });
  }
  await inFlight.drain();
  if (idleCheck) clearImmediate(idleCheck);
  await groups.end();
  await Promise.all(commits);
  return { cancelled };
}

/** A counting semaphore: at most `size` holders; `drain` waits until none is left. */
class Slots {
  busy = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly emptied: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async take(): Promise<void> {
    if (this.busy < this.size) {
      this.busy++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.busy--;
    if (this.busy === 0) this.emptied.splice(0).forEach((resolve) => resolve());
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.take();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  async drain(): Promise<void> {
    if (this.busy === 0) return;
    await new Promise<void>((resolve) => this.emptied.push(resolve));
  }
}
