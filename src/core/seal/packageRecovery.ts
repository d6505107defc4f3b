import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CustodyInput } from '../custody/custodyLog';
import { inTransaction, type ReadableDB, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { TAG_MANIFEST_NAME } from '../package/bagFormat';
import { fsyncDir } from '../store/atomicWrite';
import type { StationLayout } from '../store/layout';
import { quarantineDir } from '../store/quarantine';
import { stationTimestamp } from '../util/time';
import { packageNamesOfVersions } from './caseVersionsRepo';
import { packagesDir, removeUnsealedPackage } from './packageStore';

/**
 * What recovery may do in `<data>/packages/`. It never deletes what it cannot prove is its own
 * half-written output:
 * - a sealed version's package (a `case_versions` row names it) is never touched;
 * - `writeBag`'s temporary folder (`<name>.partial-<12 hex>`, a real folder, not a link) is a bag
 *   that was never complete and never named as one: removed;
 * - anything else (a complete package no version names, left by a crash between the bag's rename
 *   and the seal's commit; a folder or file someone put there) is moved, whole, to
 *   `<data>/quarantine/packages/`, recorded in the quarantine table and on the custody log, and
 *   listed by `check` until an admin resolves it. It may be evidence someone needs.
 */

const WRITE_BAG_PARTIAL = /^.+\.partial-[0-9a-f]{12}$/;

export function packageQuarantineDir(layout: StationLayout): string {
  return join(quarantineDir(layout), 'packages');
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Bytes of the regular files below `path`. */
async function treeBytes(path: string): Promise<number> {
  const info = await lstat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/**
 * The quarantine table's `sha256` for something found in `packages/`: for a folder, the SHA-256 of
 * its tag manifest (what a `case.seal` entry and `verify` name a package by); for a file, its own
 * hash; empty when a folder has no tag manifest (then it is named by its path only).
 */
async function identify(path: string, isDirectory: boolean): Promise<string> {
  if (!isDirectory) return sha256OfFile(path).catch(() => '');
  const tagManifest = await readFile(join(path, TAG_MANIFEST_NAME)).catch(() => null);
  return tagManifest ? createHash('sha256').update(tagManifest).digest('hex') : '';
}

/** Moves one entry of `packages/` to quarantine, recorded; returns where it went (relative to the data folder). */
export async function quarantinePackageEntry(opts: {
  db: WritableDB;
  layout: StationLayout;
  name: string;
  reason: string;
  at: string;
  station: string;
  /** Appends the custody entry inside the quarantine's transaction (the engine's guarded append). */
  append: (input: CustodyInput) => unknown;
}): Promise<string> {
  const from = join(packagesDir(opts.layout), opts.name);
  const info = await lstat(from);
  const sha256 = await identify(from, info.isDirectory());
  const size = await treeBytes(from).catch(() => 0);
  const dir = packageQuarantineDir(opts.layout);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const taken = new Set(await readdir(dir));
  let target = opts.name;
  for (let n = 2; taken.has(target); n++) target = `${opts.name}-${n}`;
  // Same volume: a rename moves no bytes, and whatever it was stays exactly as found.
  await rename(from, join(dir, target));
  await fsyncDir(dir);
  await fsyncDir(packagesDir(opts.layout));
  const file = join('quarantine', 'packages', target);
  inTransaction(opts.db, () => {
    opts.db
      .prepare('INSERT INTO quarantine (sha256, file, size, found_at, reason) VALUES (?, ?, ?, ?, ?)')
      .run(sha256, file, size, opts.at, opts.reason);
    opts.append({
      at: opts.at,
      station: opts.station,
      actor: 'station',
      action: 'store.quarantined',
      subject: sha256 || file,
      sha256: null,
      details: { file, size, reason: opts.reason, from: join('packages', opts.name) },
    });
  });
  return file;
}

/** At start, under the data directory's lock: tidies `packages/` as described above. */
export async function recoverPackagesDir(opts: {
  db: WritableDB;
  layout: StationLayout;
  log: Logger;
  now: () => Date;
  station: string;
  append: (input: CustodyInput) => unknown;
}): Promise<{ removed: number; quarantined: number }> {
  const { db, layout, log } = opts;
  const names = await readdir(packagesDir(layout)).catch(() => [] as string[]);
  const sealed = packageNamesOfVersions(db as ReadableDB);
  let removed = 0;
  let quarantined = 0;
  for (const name of names) {
    if (sealed.has(name)) continue;
    const info = await lstat(join(packagesDir(layout), name)).catch(() => null);
    if (!info) continue;
    if (WRITE_BAG_PARTIAL.test(name) && info.isDirectory()) {
      await removeUnsealedPackage(join(packagesDir(layout), name));
      removed++;
      log.warn('removed the temporary folder of a seal that was interrupted', { name });
      continue;
    }
    const file = await quarantinePackageEntry({
      db,
      layout,
      name,
      reason: 'found in packages/ with no sealed version naming it (an interrupted seal, or put there from outside)',
      at: stationTimestamp(opts.now()),
      station: opts.station,
      append: opts.append,
    });
    quarantined++;
    log.warn('moved something in packages/ that no sealed version names to quarantine', { name, to: file });
  }
  return { removed, quarantined };
}
