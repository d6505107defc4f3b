import { constants } from 'node:fs';
import { chmod, link, lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Sql } from '../db/sql';
import { hashFile } from './fileHash';

const SHA256 = /^[0-9a-f]{64}$/;

export type PlaceOutcome =
  | { outcome: 'stored' | 'alreadyHeld'; sha256: string; size: number }
  | { outcome: 'mismatch'; expected: string; actual: string; size: number };

/**
 * Files held once, by SHA-256, under `DIR/blobs/<first two hex>/<sha256>` (mode 0444). A file
 * enters only through `place`: fsynced where it lies, hashed, and linked in under its hash only if
 * the hash is the one promised. `link` fails rather than replace, so a blob once there is never
 * overwritten, even by two instances placing the same file at once. The row in `blobs` is written
 * after the link and the folder's fsync: a row always names a file that was checked and is on disk.
 */
export class BlobStore {
  readonly root: string;

  constructor(
    dataDir: string,
    private readonly sql: Sql,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.root = join(dataDir, 'blobs');
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /**
   * The hashes of `wanted` that `stationId` itself delivered and that are held here, in the order
   * asked; each file is also looked at on disk. A blob another station sent is not among them:
   * what the server holds for others is none of this station's business (server/PROTOCOL.md).
   */
  async heldFor(stationId: string, wanted: readonly string[]): Promise<string[]> {
    if (wanted.length === 0) return [];
    const rows = await this.sql.query<{ sha256: string; size: number }>(
      `SELECT b.sha256, b.size FROM blobs b
       JOIN blob_possession p ON p.sha256 = b.sha256 AND p.station_id = $2
       WHERE b.sha256 IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify([...new Set(wanted)]), stationId],
    );
    const held = new Map(rows.map((r) => [r.sha256, Number(r.size)]));
    const present = await Promise.all(
      [...held].map(async ([sha256, size]) => ((await this.sizeOnDisk(sha256)) === size ? sha256 : null)),
    );
    const onDisk = new Set(present.filter((s): s is string => s !== null));
    return wanted.filter((s) => onDisk.has(s));
  }

  /** The size of each held blob by hash (the database's record; `has` looks at the disk). */
  async sizes(hashes: readonly string[]): Promise<Map<string, number>> {
    if (hashes.length === 0) return new Map();
    const rows = await this.sql.query<{ sha256: string; size: number }>(
      'SELECT sha256, size FROM blobs WHERE sha256 IN (SELECT jsonb_array_elements_text($1::jsonb))',
      [JSON.stringify([...new Set(hashes)])],
    );
    return new Map(rows.map((r) => [r.sha256, Number(r.size)]));
  }

  /**
   * Takes the file at `tempPath` (on the same file system as the store, e.g. a finished upload)
   * into the store if it hashes to `expected`. `alsoRecord` runs in the transaction that writes the
   * blob's row (the upload marked finished, the station's possession), so the database says all of
   * it or none. The temporary file is removed in every outcome but a thrown error, which leaves it
   * for the caller: until the transaction has committed it is what a retry hashes again.
   */
  async place(
    tempPath: string,
    expected: string,
    alsoRecord?: (tx: Sql, placed: { sha256: string; size: number }) => Promise<void>,
  ): Promise<PlaceOutcome> {
    if (!SHA256.test(expected)) throw new Error(`not a SHA-256: ${expected}`);
    const size = await fsyncFile(tempPath);
    const actual = await hashFile(tempPath, size);
    if (actual !== expected) {
      await unlink(tempPath);
      return { outcome: 'mismatch', expected, actual, size };
    }
    const target = this.pathOf(expected);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await chmod(tempPath, 0o444);
    let outcome: 'stored' | 'alreadyHeld' = 'stored';
    let replaced = false;
    try {
      await link(tempPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Held already (another upload of the same bytes, maybe another station's): these bytes,
      // equal to it, are not kept twice, as long as the one in place still is what its name says.
      // One damaged on the disk (truncated, edited, a link put in its place) is moved aside and
      // the checked upload takes its name.
      if (await this.intact(expected)) outcome = 'alreadyHeld';
      else {
        await this.moveAside(expected);
        await link(tempPath, target);
        replaced = true;
      }
    }
    await fsyncDir(dirname(target));
    await this.sql.transaction(async (tx) => {
      // A replaced blob is a new file: its time is the replacement's (see `recheck`).
      await tx.query(
        replaced
          ? `INSERT INTO blobs (sha256, size, stored_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO UPDATE SET stored_at = excluded.stored_at`
          : `INSERT INTO blobs (sha256, size, stored_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO NOTHING`,
        [expected, size, this.now().toISOString()],
      );
      await alsoRecord?.(tx, { sha256: expected, size });
    });
    await unlink(tempPath);
    await fsyncDir(dirname(tempPath));
    // Removing the upload's name changed the stored inode's ctime (its link count), after the
    // row's time: without this the next commit would read the whole file again (see `recheck`).
    // Lost in a crash, it costs one such read, never a blob wrongly vouched for.
    if (outcome !== 'alreadyHeld') {
      await this.sql.query('UPDATE blobs SET stored_at = $2 WHERE sha256 = $1 AND stored_at < $2', [
        expected,
        this.now().toISOString(),
      ]);
    }
    return { outcome, sha256: expected, size };
  }

  /**
   * Returns those of `hashes`' blobs that are no longer what their name says, after moving them
   * aside (`DIR/blobs/damaged/`): a receipt must vouch only for bytes the server holds now. A
   * moved blob counts as missing, so the stations that hold it send it again.
   *
   * A blob whose inode has not changed since it was stored (its ctime, which the kernel sets on
   * every write, truncation, chmod or link and no one can set back, is not later than the row's
   * `stored_at`, written after the link) and whose size is the row's is not read again: what
   * touched it would have moved its ctime. Any other is hashed again. Bit rot beneath an untouched
   * inode is a scrub's job, not a commit's.
   */
  async recheck(hashes: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(hashes)];
    const rows = await this.sql.query<{ sha256: string; size: number; stored_at: Date | string }>(
      'SELECT sha256, size, stored_at FROM blobs WHERE sha256 IN (SELECT jsonb_array_elements_text($1::jsonb))',
      [JSON.stringify(wanted)],
    );
    const recorded = new Map(rows.map((r) => [r.sha256, { size: Number(r.size), storedAt: new Date(r.stored_at) }]));
    const damaged: string[] = [];
    for (const sha256 of wanted) {
      const row = recorded.get(sha256);
      if (row && (await this.untouchedSince(sha256, row))) continue;
      if (await this.intact(sha256)) continue;
      await this.moveAside(sha256);
      damaged.push(sha256);
    }
    return damaged;
  }

  private async untouchedSince(sha256: string, row: { size: number; storedAt: Date }): Promise<boolean> {
    try {
      const info = await lstat(this.pathOf(sha256));
      return info.isFile() && info.size === row.size && info.ctimeMs <= row.storedAt.getTime();
    } catch {
      return false;
    }
  }

  /**
   * The blob is a regular file (not a link) whose bytes hash to its name. Only what the file
   * system says of the file (missing, not a regular file, unreadable, changed while read) counts
   * against it; a failure of the hashing itself (a worker that did not start) is thrown, since
   * taking it for damage would move good evidence aside and have every station send it again.
   */
  private async intact(sha256: string): Promise<boolean> {
    const path = this.pathOf(sha256);
    try {
      const info = await lstat(path);
      if (!info.isFile()) return false;
      return (await hashFile(path, info.size)) === sha256;
    } catch (error) {
      if (isFileFault(error)) return false;
      throw error;
    }
  }

  /** Keeps a damaged blob for whoever looks into it, out of the way of its name; never deletes it. */
  private async moveAside(sha256: string): Promise<void> {
    const path = this.pathOf(sha256);
    const aside = join(this.root, 'damaged');
    await mkdir(aside, { recursive: true, mode: 0o700 });
    try {
      await rename(path, join(aside, `${sha256}-${this.now().getTime()}`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    await fsyncDir(aside);
    await fsyncDir(dirname(path));
  }

  private async sizeOnDisk(sha256: string): Promise<number | null> {
    try {
      const info = await lstat(this.pathOf(sha256));
      return info.isFile() ? info.size : null;
    } catch {
      return null;
    }
  }
}

/** fsync of a file by name; returns its size from the same handle. */
async function fsyncFile(path: string): Promise<number> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`${path} is not a regular file`);
    await handle.sync();
    return info.size;
  } finally {
    await handle.close();
  }
}

/** A rename or link is durable only once its folder is fsynced. */
export async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** An error the file system gave about the file (its errno-style code), not one of the hasher. */
function isFileFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.length > 0;
}
