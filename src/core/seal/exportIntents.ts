import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustodyInput } from '../custody/custodyLog';
import { inTransaction, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { pickExportName } from '../package/exportBag';
import { stationTimestamp } from '../util/time';

/**
 * An export leaves a record even when the process dies mid-way. Before anything is written to the
 * medium the desk records `case.export.started` (where, under which name, from which temporary
 * name); the export's outcome entry names that entry (`startedSeq`). A process killed in between
 * (worst: after the copy took its final name, before the outcome was committed) leaves a started
 * entry nothing names; the next start closes it as `case.export.interrupted`, saying what is on
 * the medium now: whether the final name exists and whether a temporary copy is still there.
 */

export const EXPORT_STARTED = 'case.export.started';
export const EXPORT_INTERRUPTED = 'case.export.interrupted';
/** staleExports.ts names each temporary copy's owner marker `<temporary name>.owner`. */
const OWNER_MARKER_SUFFIX = '.owner';
const OUTCOMES = ['case.export', 'case.export.failed', EXPORT_INTERRUPTED];

/** Where an export is about to write: the details of its `case.export.started` entry. */
export interface ExportPlan {
  destination: string;
  /** The name the copy will take, as free now (`pickExportName`); a zip's includes `.zip`. */
  name: string;
  /** Every temporary copy of this export is named `<partialPrefix><random>`. */
  partialPrefix: string;
}

export async function planExport(destDir: string, packageName: string, zip: boolean): Promise<ExportPlan> {
  const free = await pickExportName(destDir, packageName);
  const name = zip ? `${free}.zip` : free;
  return { destination: destDir, name, partialPrefix: `.${name}.partial-` };
}

/**
 * Is the final name there, and is it only the empty placeholder the publish step reserves the
 * name with (publishExport.ts) rather than a copy?
 */
async function finalOnMedium(path: string): Promise<{ finalPresent: boolean; finalEmpty: boolean | null }> {
  const info = await lstat(path).catch(() => null);
  if (!info) return { finalPresent: false, finalEmpty: null };
  const empty = info.isDirectory() ? (await readdir(path).catch(() => [])).length === 0 : info.size === 0;
  return { finalPresent: true, finalEmpty: empty };
}

/** What the medium holds of an interrupted export; nulls when the folder cannot be read (medium gone). */
async function leftOnMedium(plan: Partial<ExportPlan>): Promise<{
  mediumReadable: boolean;
  finalPresent: boolean | null;
  finalEmpty: boolean | null;
  partials: string[] | null;
}> {
  const unknown = { mediumReadable: false, finalPresent: null, finalEmpty: null, partials: null };
  if (typeof plan.destination !== 'string' || typeof plan.name !== 'string' || typeof plan.partialPrefix !== 'string')
    return unknown;
  const names = await readdir(plan.destination).catch(() => null);
  if (names === null) return unknown;
  const prefix = plan.partialPrefix;
  return {
    mediumReadable: true,
    ...(await finalOnMedium(join(plan.destination, plan.name))),
    // The temporary copies, not their owner markers (staleExports.ts), which the next export there removes.
    partials: names.filter((n) => n.startsWith(prefix) && !n.endsWith(OWNER_MARKER_SUFFIX)),
  };
}

/**
 * At start, under the data directory's lock (so no export of this station is running): records
 * `case.export.interrupted` for every started export that has no outcome. Returns how many.
 */
export async function closeInterruptedExports(opts: {
  db: WritableDB;
  log: Pick<Logger, 'warn'>;
  now: () => Date;
  station: string;
  /** Appends the custody entry inside the caller's transaction (the engine's guarded append). */
  append: (input: CustodyInput) => unknown;
}): Promise<number> {
  const { db } = opts;
  const started = db
    .prepare(`SELECT seq, subject, details FROM custody WHERE action = ? ORDER BY seq`)
    .all(EXPORT_STARTED) as { seq: number; subject: string; details: string }[];
  const outcomes = db.prepare(
    `SELECT details FROM custody WHERE subject = ? AND seq > ? AND action IN (${OUTCOMES.map(() => '?').join(', ')})`,
  );
  let closed = 0;
  for (const s of started) {
    const closedBy = (outcomes.all(s.subject, s.seq, ...OUTCOMES) as { details: string }[]).some(
      (o) => (JSON.parse(o.details) as { startedSeq?: unknown }).startedSeq === s.seq,
    );
    if (closedBy) continue;
    const details = JSON.parse(s.details) as Record<string, unknown> & Partial<ExportPlan>;
    const medium = await leftOnMedium(details);
    inTransaction(db, () =>
      opts.append({
        actor: 'station',
        action: EXPORT_INTERRUPTED,
        subject: s.subject,
        sha256: null,
        at: stationTimestamp(opts.now()),
        station: opts.station,
        details: {
          startedSeq: s.seq,
          number: details.number ?? null,
          version: details.version ?? null,
          format: details.format ?? null,
          destination: details.destination ?? null,
          name: details.name ?? null,
          ...medium,
        },
      }),
    );
    opts.log.warn('an export was interrupted; recorded', { startedSeq: s.seq, ...medium });
    closed++;
  }
  return closed;
}
