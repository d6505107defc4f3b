import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { engineSocketPath } from '../daemon/socketPath';
import type { CheckpointVerdict, CheckProblem, CheckReport } from '../../shared/custodySchemas';
import { readHeadFile } from '../custody/chainHead';
import { verifyCustody } from '../custody/verifyCustody';
import type { ReadableDB } from '../db/database';
import { listStoredFiles } from '../recovery';
import type { HashCopier } from '../store/hashCopy';
import { evidencePath, type StationLayout } from '../store/layout';
import { verifyPackage } from '../package/verifyPackage';
import { packageDir } from '../seal/packageStore';
import { allVersionSeals, inspectSealedPackage } from '../seal/sealedPackageGuard';
import { approvalProblems } from '../approval/approvalOnRecord';
import type { ApprovalKey } from '../approval/approvalSignature';
import { approvedVersionRows } from '../seal/caseVersionsRepo';
import { crossCheckRecords } from './crossCheck';
import { looseModes } from './fileModes';
import { checkKeys } from './keyCheck';
import { unresolvedQuarantine } from '../store/quarantine';
import { quarantineAgreement } from './quarantineAgreement';
import type { OpenIntents } from '../store/storeIntents';

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
  /** The station's public key: an approval it did not sign is a problem. */
  approvalKey: ApprovalKey;
  onProgress?: (done: number, total: number) => void;
  /**
   * Work the running engine is doing now (its import's temp file and stored copy, a clip being
   * stored): not a leftover, so not a problem. Absent when no engine runs beside the check.
   */
  inFlight?: () => OpenIntents;
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
  // Listed first, then compared with the records as they are now: an import running beside the
  // check records its file (and drops its intent) in one transaction, so a copy listed here is
  // either recorded or still in flight by the time of the query below, never both or neither.
  const stored = await listStoredFiles(layout.evidenceDir);
  const temps = await readdir(layout.tmpDir).catch(() => [] as string[]);
  const known = new Set((db.prepare('SELECT sha256 FROM items').all() as { sha256: string }[]).map((r) => r.sha256));
  const inFlight = opts.inFlight?.();
  // A file that went away since the listing (a cancelled copy removed) was in flight after all.
  const stillThere = async (path: string): Promise<boolean> =>
    stat(path).then(
      () => true,
      () => false,
    );
  for (const file of stored) {
    if (!known.has(file.sha256) && !inFlight?.sha256s.has(file.sha256) && (await stillThere(file.path))) {
      found({ kind: 'orphan', sha256: file.sha256, itemId: null, detail: 'a stored file with no item' });
    }
  }
  for (const name of temps) {
    if (inFlight?.tempNames.has(name) || !(await stillThere(join(layout.tmpDir, name)))) continue;
    found({ kind: 'tempFile', sha256: null, itemId: null, detail: `temporary file ${name}` });
  }
  for (const q of unresolvedQuarantine(db)) {
    found({
      kind: 'quarantined',
      sha256: q.sha256,
      itemId: null,
      detail: `#${q.id} ${q.file} (${q.size} bytes, ${q.foundAt}): ${q.reason}`,
    });
  }
  problems.push(...(await checkPackages(db, layout, opts.rehash)));
  problems.push(
    ...crossCheckRecords(db),
    ...(await looseModes(layout)),
    ...(await movedAsideBlockers(layout)),
    ...(await quarantineAgreement(db, layout)),
  );
  problems.push(...(await checkKeys(db, layout.root)));
  problems.push(...approvalsOffRecord(db, opts.approvalKey));
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

/** Versions marked approved that the custody log does not back or the station key did not sign (approval/approvalOnRecord.ts). */
function approvalsOffRecord(db: ReadableDB, key: ApprovalKey): CheckProblem[] {
  return approvedVersionRows(db).flatMap((row) =>
    approvalProblems(db, row, key).map((detail) => ({
      kind: 'approval' as const,
      sha256: null,
      itemId: null,
      seq: row.approval_seq,
      path: null,
      detail: `${row.number} v${row.version}: ${detail}`,
    })),
  );
}

/** What the engine moved aside from its socket's name (see daemon/socketBlocker): left for a person. */
async function movedAsideBlockers(layout: StationLayout): Promise<CheckProblem[]> {
  const socketPath = engineSocketPath(layout.root);
  const dir = dirname(socketPath);
  const prefix = `${basename(socketPath)}.found-`;
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.startsWith(prefix)).sort();
  return names.map((name) => {
    const kind = name.slice(prefix.length).split('-')[0] ?? 'other';
    const path = dir === layout.root ? name : join(dir, name);
    return {
      kind: 'movedAside',
      sha256: null,
      itemId: null,
      seq: null,
      path,
      detail: `a ${kind} found at the engine socket's name was moved aside to ${path}; look at it, then remove it`,
    };
  });
}

/**
 * Every sealed version's package is still in the store as sealed (sealedPackageGuard.ts): the
 * version records agree with their `case.seal` entries, each folder holds exactly the sealed
 * files and its tag manifest hashes to what the entry recorded. With `rehash` every package is
 * verified whole (payload hashes, signature, `case.json`); without, the payload is left to
 * `verify`, since reading every package would make every check as slow as a seal.
 */
async function checkPackages(db: ReadableDB, layout: StationLayout, rehash: boolean): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const found = (detail: string): void => {
    problems.push({ kind: 'package', sha256: null, itemId: null, seq: null, path: null, detail });
  };
  const { seals, mismatches } = allVersionSeals(db);
  mismatches.forEach(found);
  for (const seal of seals) {
    const label = `${seal.number} v${seal.version} (packages/${seal.packageName})`;
    const dir = packageDir(layout, seal.packageName);
    const wrong = await inspectSealedPackage(dir, seal.tagManifestSha256);
    for (const w of wrong) found(`${label}: ${w}`);
    if (!rehash || wrong.length > 0) continue;
    const verdict = await verifyPackage(dir);
    for (const p of verdict.problems) found(`${label}: ${p.path ? `${p.path}: ` : ''}${p.detail}`);
  }
  return problems;
}
