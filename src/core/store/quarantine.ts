import { chmod, mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type ReadableDB, type WritableDB } from '../db/database';
import { fsyncDir } from './atomicWrite';
import type { StationLayout } from './layout';

/**
 * Stored copies that no item and no intent of the engine accounts for are moved, never deleted,
 * to `<data>/quarantine/`, recorded (table and custody entry) and listed by `check` until an
 * admin resolves them: nobody but the station should write under `evidence/`, so such a file is a
 * question for a person, not for recovery.
 */

export function quarantineDir(layout: StationLayout): string {
  return join(layout.root, 'quarantine');
}

export interface QuarantinedFile {
  id: number;
  sha256: string;
  file: string;
  size: number;
  foundAt: string;
  reason: string;
}

export async function moveToQuarantine(opts: {
  db: WritableDB;
  append: AppendEntry;
  layout: StationLayout;
  path: string;
  sha256: string;
  reason: string;
  at: string;
  station: string;
}): Promise<QuarantinedFile> {
  const dir = quarantineDir(opts.layout);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const taken = new Set(await readdir(dir));
  let name = opts.sha256;
  for (let n = 2; taken.has(name); n++) name = `${opts.sha256}-${n}`;
  const target = join(dir, name);
  const size = (await stat(opts.path)).size;
  // Same volume: a rename moves no bytes. Read-only, like everything that was in the store.
  await rename(opts.path, target);
  await chmod(target, 0o444).catch(() => undefined);
  await fsyncDir(dir);
  const file = join('quarantine', name);
  return inTransaction(opts.db, () => {
    const id = Number(
      opts.db
        .prepare('INSERT INTO quarantine (sha256, file, size, found_at, reason) VALUES (?, ?, ?, ?, ?)')
        .run(opts.sha256, file, size, opts.at, opts.reason).lastInsertRowid,
    );
    opts.append({
      at: opts.at,
      actor: 'station',
      station: opts.station,
      action: 'store.quarantined',
      subject: opts.sha256,
      sha256: null,
      details: { file, size, reason: opts.reason },
    });
    return { id, sha256: opts.sha256, file, size, foundAt: opts.at, reason: opts.reason };
  });
}

/** Files moved to quarantine that no admin has resolved yet. */
export function unresolvedQuarantine(db: ReadableDB): QuarantinedFile[] {
  return (
    db
      .prepare('SELECT id, sha256, file, size, found_at, reason FROM quarantine WHERE resolved_at IS NULL ORDER BY id')
      .all() as { id: number; sha256: string; file: string; size: number; found_at: string; reason: string }[]
  ).map((r) => ({ id: r.id, sha256: r.sha256, file: r.file, size: r.size, foundAt: r.found_at, reason: r.reason }));
}
