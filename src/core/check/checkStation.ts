import { readdir, stat } from 'node:fs/promises';
import type { CheckpointVerdict, CheckProblem, CheckReport } from '../../shared/custodySchemas';
import { readHeadFile } from '../custody/chainHead';
import { verifyCustody } from '../custody/verifyCustody';
import type { ReadableDB } from '../db/database';
import { listStoredFiles } from '../recovery';
import type { HashCopier } from '../store/hashCopy';
import { evidencePath, type StationLayout } from '../store/layout';
import { crossCheckRecords } from './crossCheck';
import { looseModes } from './fileModes';

export type { CheckProblem, CheckReport };

/**
 * Does the store agree with the database? Every item has its stored file, read-only and of the
 * recorded size (and, with `rehash`, of the recorded hash); no stored file lacks an item; no
 * temporary file is left; the records and the custody log name each other (crossCheckRecords);
 * the data directory is closed to other OS users; the custody chain, its head and its signed
 * checkpoints verify. It only reads.
 */
export async function checkStation(opts: {
  db: ReadableDB;
  layout: StationLayout;
  hasher: HashCopier;
  rehash: boolean;
  checkpoints: CheckpointVerdict;
  onProgress?: (done: number, total: number) => void;
}): Promise<CheckReport> {
  const { db, layout } = opts;
  const problems: CheckProblem[] = [];
  const found = (p: Omit<CheckProblem, 'seq' | 'path'>): void => {
    problems.push({ ...p, seq: null, path: null });
  };
  const items = db.prepare('SELECT id, sha256, size FROM items ORDER BY rowid').all() as {
    id: string;
    sha256: string;
    size: number;
  }[];
  let rehashed = 0;
  for (const [i, item] of items.entries()) {
    const path = evidencePath(layout, item.sha256);
    const info = await stat(path).catch(() => null);
    opts.onProgress?.(i, items.length);
    if (!info) {
      found({ kind: 'missing', sha256: item.sha256, itemId: item.id, detail: 'the stored copy is missing' });
      continue;
    }
    if (info.size !== item.size) {
      found({
        kind: 'sizeMismatch',
        sha256: item.sha256,
        itemId: item.id,
        detail: `stored copy is ${info.size} bytes, recorded ${item.size}`,
      });
    }
    if ((info.mode & 0o222) !== 0) {
      found({ kind: 'writable', sha256: item.sha256, itemId: item.id, detail: 'the stored copy is writable' });
    }
    if (opts.rehash) {
      try {
        const { sha256 } = await opts.hasher.hash(path);
        rehashed++;
        if (sha256 !== item.sha256) {
          found({
            kind: 'hashMismatch',
            sha256: item.sha256,
            itemId: item.id,
            detail: `now hashes to ${sha256}`,
          });
        }
      } catch (error) {
        found({ kind: 'unreadable', sha256: item.sha256, itemId: item.id, detail: (error as Error).message });
      }
    }
  }
  const stored = await listStoredFiles(layout.evidenceDir);
  const known = new Set(items.map((i) => i.sha256));
  for (const file of stored) {
    if (!known.has(file.sha256)) {
      found({ kind: 'orphan', sha256: file.sha256, itemId: null, detail: 'a stored file with no item' });
    }
  }
  for (const name of await readdir(layout.tmpDir).catch(() => [] as string[])) {
    found({ kind: 'tempFile', sha256: null, itemId: null, detail: `temporary file ${name}` });
  }
  problems.push(...crossCheckRecords(db), ...(await looseModes(layout)));
  const chain = verifyCustody(db, await readHeadFile(layout.chainHead), opts.checkpoints);
  return {
    ok: problems.length === 0 && chain.ok,
    items: items.length,
    storedFiles: stored.length,
    rehashed,
    chain,
    problems,
  };
}
