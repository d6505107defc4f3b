import type { ImportFileResult } from '../../shared/schemas';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type WritableDB } from '../db/database';
import { removeOwnFile } from '../store/placeInStore';
import { unkeptOutcome, writeOutcome, type FileOutcome } from './importFile';
import type { CopyPause } from './importPipeline';

export interface CommitOutcomesOptions {
  importId: string;
  actor: string;
  station: string;
  append: AppendEntry;
  now: () => Date;
}

/**
 * Commits a group of files' outcomes in one transaction (one fsync for all of them), each with its
 * own custody entry and import-file row, in the order given. When the group cannot be written (a
 * full disk, say), nothing of it was, and the files are committed one by one instead, so that what
 * failed is that file's alone, as when every file had its own transaction.
 */
export async function commitOutcomes(
  db: WritableDB,
  opts: CommitOutcomesOptions,
  group: readonly FileOutcome[],
  withCopyStopped: CopyPause,
): Promise<ImportFileResult[]> {
  const write = (): ImportFileResult[] => {
    inTransaction(db, () => {
      for (const outcome of group) writeOutcome(db, opts, outcome);
    });
    return group.map((o) => o.result);
  };
  try {
    return write();
  } catch (error) {
    if (!isDiskFull(error)) return commitEach(db, opts, group);
    // A later file's copy may be what fills the disk now; one by one, this group would have been
    // committed before that copy began. Once it has ended (a failed copy removes itself), try again.
    return withCopyStopped(async () => {
      try {
        return write();
      } catch {
        return commitEach(db, opts, group);
      }
    });
  }
}

async function commitEach(
  db: WritableDB,
  opts: CommitOutcomesOptions,
  group: readonly FileOutcome[],
): Promise<ImportFileResult[]> {
  const results: ImportFileResult[] = [];
  for (const outcome of group) results.push(await commitAlone(db, opts, outcome));
  return results;
}

function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC';
}

async function commitAlone(
  db: WritableDB,
  opts: CommitOutcomesOptions,
  outcome: FileOutcome,
): Promise<ImportFileResult> {
  try {
    inTransaction(db, () => writeOutcome(db, opts, outcome));
    return outcome.result;
  } catch (error) {
    // The transaction rolled back: a stored copy has no record and must not stay.
    if (outcome.stored) await removeOwnFile(outcome.stored);
    // A full disk (or any failed commit) is a failure of this file like any other: it gets its
    // `import.failed` entry when the database can take one (the copy's removal freed space).
    const diskFull = isDiskFull(error);
    const failed = unkeptOutcome(
      outcome.result,
      { ...opts, ordinal: outcome.ordinal },
      'failed',
      diskFull ? 'diskFull' : 'storeError',
      (error as Error).message,
    );
    try {
      inTransaction(db, () => writeOutcome(db, opts, failed));
      return failed.result;
    } catch {
      throw error;
    }
  }
}
