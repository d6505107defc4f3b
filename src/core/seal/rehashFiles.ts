import { HashCopier, HashCopyAbortedError } from '../store/hashCopy';
import type { SnapshotFile } from './caseSnapshot';

export interface HashMismatch {
  itemId: string;
  name: string;
  expected: string;
  /** What the stored file hashes to now; null when it could not be read (missing, unreadable). */
  actual: string | null;
  /** Why it could not be read, when it could not. */
  error: string | null;
}

/**
 * Re-reads every stored file from the disk (the hashing workers use direct I/O) on both cores and
 * lists every file whose bytes no longer match the recorded hash: all of them, not the first.
 */
export async function findHashMismatches(
  files: readonly SnapshotFile[],
  opts: { signal?: AbortSignal; workers?: number } = {},
): Promise<HashMismatch[]> {
  const queue = [...files];
  const mismatches: HashMismatch[] = [];
  const copiers = Array.from({ length: Math.max(1, opts.workers ?? 2) }, () => new HashCopier());
  try {
    await Promise.all(
      copiers.map(async (copier) => {
        for (let file = queue.shift(); file; file = queue.shift()) {
          try {
            const { sha256 } = await copier.hash(file.storedPath, opts.signal ? { signal: opts.signal } : {});
            if (sha256 !== file.sha256) {
              mismatches.push({
                itemId: file.itemId,
                name: file.originalName,
                expected: file.sha256,
                actual: sha256,
                error: null,
              });
            }
          } catch (error) {
            if (error instanceof HashCopyAbortedError) throw error;
            mismatches.push({
              itemId: file.itemId,
              name: file.originalName,
              expected: file.sha256,
              actual: null,
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      }),
    );
  } finally {
    await Promise.all(copiers.map((c) => c.close()));
  }
  // In the case's order, whichever worker found them.
  const order = new Map(files.map((f, i) => [f.itemId, i]));
  return mismatches.sort((a, b) => order.get(a.itemId)! - order.get(b.itemId)!);
}
