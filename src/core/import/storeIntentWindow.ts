import { randomBytes } from 'node:crypto';
import { inTransaction, type WritableDB } from '../db/database';
import { recordStoreIntent } from '../store/storeIntents';
import { stationTimestamp } from '../util/time';
import type { SourceFile } from './scanSources';

/** Files whose intents are committed together, ahead of their copies. */
export const INTENT_WINDOW_FILES = 16;

/**
 * Hands out each file's temporary name with its store intent already committed (migration 70:
 * recovery acts on a copy only as an intent says). The intents of the next files that may be
 * copied are committed in one transaction, ahead of their copies, instead of one fsync'd commit per
 * file. An intent whose file is never copied (skipped, cancelled) names a temporary file that never
 * existed and holds no hash, so recovery finds nothing of it to act on.
 */
export class StoreIntentWindow {
  private readonly names = new Map<number, string>();

  constructor(
    private readonly opts: {
      db: WritableDB;
      importId: string;
      files: readonly SourceFile[];
      now: () => Date;
      windowFiles?: number;
    },
  ) {}

  tempNameFor(ordinal: number): string {
    const known = this.names.get(ordinal);
    if (known) return known;
    const { db, importId, files, now } = this.opts;
    const window = this.opts.windowFiles ?? INTENT_WINDOW_FILES;
    const fresh: [number, string][] = [[ordinal, tempName()]];
    for (let next = ordinal + 1; next < files.length && fresh.length < window; next++) {
      const file = files[next]!;
      if (file.entry === 'file' && file.size > 0 && !this.names.has(next)) fresh.push([next, tempName()]);
    }
    const at = stationTimestamp(now());
    inTransaction(db, () => {
      for (const [n, name] of fresh) recordStoreIntent(db, importId, n, name, at);
    });
    for (const [n, name] of fresh) this.names.set(n, name);
    return fresh[0]![1];
  }
}

function tempName(): string {
  return `${randomBytes(12).toString('hex')}.part`;
}
