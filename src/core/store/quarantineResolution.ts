import { chmod, link, lstat, mkdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type WritableDB } from '../db/database';
import { isWithin } from '../import/sourcePolicy';
import { fsyncDir } from './atomicWrite';
import type { HashCopier } from './hashCopy';
import { evidencePath, type StationLayout } from './layout';
import { quarantineDir } from './quarantine';

/**
 * What an admin decides for a quarantined file, and what then happens to the file:
 * - `adopt`: the file goes back into the store, but only for an item that records exactly those
 *   bytes and whose stored copy is missing (re-hashed first). The station never makes an item out
 *   of a file nobody recorded: no intent of the engine names a quarantined file (recovery settles
 *   every intent), so there is nothing to make it from.
 * - `release`: copied to a folder the admin names outside the data directory, re-read and compared,
 *   never over an existing file; then the quarantined file is removed.
 * - `keep`: the file stays in `quarantine/`, decided and no longer listed as open.
 * Each is one custody entry (`store.quarantineResolved`) in the transaction that updates the row, so
 * the table and the folder agree afterwards; `check` reports where they do not.
 */
export const QuarantineDecision = z.discriminatedUnion('action', [
  z.object({ action: z.literal('adopt') }).strict(),
  z.object({ action: z.literal('keep') }).strict(),
  z.object({ action: z.literal('release'), to: z.string().min(1).max(4096) }).strict(),
]);
export type QuarantineDecision = z.infer<typeof QuarantineDecision>;

export type QuarantineOutcome = 'adopted' | 'released' | 'kept';

export interface QuarantineResolved {
  resolved: boolean;
  outcome: QuarantineOutcome | null;
  /** Where a released file now is (absolute), else null. */
  releasedTo: string | null;
}

interface Row {
  id: number;
  sha256: string;
  file: string;
  size: number;
}

export async function resolveQuarantined(opts: {
  db: WritableDB;
  append: AppendEntry;
  layout: StationLayout;
  hasher: HashCopier;
  id: number;
  decision: QuarantineDecision;
  note: string;
  actor: string;
  station: string;
  now: () => string;
}): Promise<QuarantineResolved> {
  const { db, layout, id } = opts;
  const row = db
    .prepare('SELECT id, sha256, file, size FROM quarantine WHERE id = ? AND resolved_at IS NULL')
    .get(id) as Row | undefined;
  if (!row) return { resolved: false, outcome: null, releasedTo: null };
  const path = join(layout.root, row.file);
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile()) throw new AppError('quarantine.fileMissing', { id, file: row.file });

  const base = { file: row.file, size: row.size, note: opts.note };
  switch (opts.decision.action) {
    case 'keep':
      record(opts, row, 'kept', null, { ...base, outcome: 'kept' });
      return { resolved: true, outcome: 'kept', releasedTo: null };
    case 'adopt': {
      const stored = await adopt(opts, row, path);
      record(opts, row, 'adopted', null, { ...base, outcome: 'adopted', itemId: stored.itemId });
      // The quarantined name is a second link to the stored copy now: its mode is the store's.
      await removeQuarantined(layout, path, { sharesStoredInode: true });
      return { resolved: true, outcome: 'adopted', releasedTo: null };
    }
    case 'release': {
      const released = await release(opts, row, path, opts.decision.to);
      record(opts, row, 'released', released.path, {
        ...base,
        outcome: 'released',
        releasedTo: released.path,
        releasedSha256: released.sha256,
      });
      // Removed only once the record says where the verified copy is.
      await removeQuarantined(layout, path, { sharesStoredInode: false });
      return { resolved: true, outcome: 'released', releasedTo: released.path };
    }
  }
}

function record(
  opts: { db: WritableDB; append: AppendEntry; actor: string; station: string; now: () => string; note: string },
  row: Row,
  outcome: QuarantineOutcome,
  releasedTo: string | null,
  details: Record<string, unknown>,
): void {
  const at = opts.now();
  inTransaction(opts.db, () => {
    opts.db
      .prepare(
        `UPDATE quarantine SET resolved_at = ?, resolved_by = ?, resolution = ?, outcome = ?, released_to = ?
         WHERE id = ? AND resolved_at IS NULL`,
      )
      .run(at, opts.actor, opts.note, outcome, releasedTo, row.id);
    opts.append({
      at,
      actor: opts.actor,
      station: opts.station,
      action: 'store.quarantineResolved',
      subject: row.sha256,
      // Adopted bytes are an item's again: the entry belongs to that item's history.
      sha256: outcome === 'adopted' ? row.sha256 : null,
      details,
    });
  });
}

/**
 * Back into the store for the item that records these bytes: re-hashed, linked under its hash (a
 * link never replaces a file already there), read-only, the folder synced. The quarantined name is
 * removed after the record commits.
 */
async function adopt(
  opts: { db: WritableDB; layout: StationLayout; hasher: HashCopier; id: number },
  row: Row,
  path: string,
): Promise<{ itemId: string }> {
  const item = opts.db.prepare('SELECT id FROM items WHERE sha256 = ?').get(row.sha256) as { id: string } | undefined;
  if (!item) throw new AppError('quarantine.notEvidence', { id: opts.id });
  const dest = evidencePath(opts.layout, row.sha256);
  if (await lstat(dest).catch(() => null)) throw new AppError('quarantine.alreadyStored', { id: opts.id });
  const { sha256 } = await opts.hasher.hash(path);
  if (sha256 !== row.sha256) throw new AppError('quarantine.hashMismatch', { id: opts.id, found: sha256 });
  await mkdir(dirname(dest), { recursive: true, mode: 0o700 });
  try {
    await link(path, dest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw new AppError('quarantine.alreadyStored', { id: opts.id });
    throw error;
  }
  await chmod(dest, 0o444);
  await fsyncDir(dirname(dest));
  return { itemId: item.id };
}

/**
 * A verified copy in a folder outside the data directory, under a name that says where it came
 * from; never over an existing file. Written to a hidden temporary name, fsynced by the copier,
 * read back from the disk and compared with what was read from the quarantined file.
 */
async function release(
  opts: { layout: StationLayout; hasher: HashCopier; id: number },
  row: Row,
  path: string,
  to: string,
): Promise<{ path: string; sha256: string }> {
  const refuse = (): AppError => new AppError('quarantine.releaseTarget', { path: to });
  if (!isAbsolute(to)) throw refuse();
  const target = await stat(to).catch(() => null);
  if (!target?.isDirectory()) throw refuse();
  const [dir, station] = await Promise.all([realpath(to), realpath(opts.layout.root)]);
  if (isWithin(dir, station)) throw refuse();
  const name = `quarantined-${row.id}-${basename(row.file)}`;
  const final = join(dir, name);
  const temp = join(dir, `.${name}.part`);
  if (await lstat(final).catch(() => null)) throw new AppError('quarantine.releaseExists', { path: final });
  if (await lstat(temp).catch(() => null)) throw new AppError('quarantine.releaseExists', { path: temp });
  try {
    const copied = await opts.hasher.copy(path, temp);
    const reread = await opts.hasher.hash(temp);
    if (reread.sha256 !== copied.sha256) {
      throw new AppError('quarantine.releaseFailed', { path: final, reason: 'the copy did not read back the same' });
    }
    await placeWithoutReplacing(temp, final);
    await fsyncDir(dir);
    return { path: final, sha256: copied.sha256 };
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    if (error instanceof AppError) throw error;
    throw new AppError('quarantine.releaseFailed', {
      path: final,
      reason: (error as NodeJS.ErrnoException).code ?? String(error),
    });
  }
}

/** A link refuses an existing name; file systems without links (FAT on a stick) get a checked rename. */
async function placeWithoutReplacing(temp: string, final: string): Promise<void> {
  try {
    await link(temp, final);
    await unlink(temp);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new AppError('quarantine.releaseExists', { path: final });
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw error;
  }
  if (await lstat(final).catch(() => null)) throw new AppError('quarantine.releaseExists', { path: final });
  await rename(temp, final);
}

async function removeQuarantined(
  layout: StationLayout,
  path: string,
  opts: { sharesStoredInode: boolean },
): Promise<void> {
  // Windows refuses to remove a read-only file; elsewhere the folder's mode is what counts.
  if (process.platform === 'win32' && !opts.sharesStoredInode) await chmod(path, 0o600).catch(() => undefined);
  await unlink(path);
  await fsyncDir(quarantineDir(layout));
}
