import { chmod, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { appendCustody } from './custody/custodyLog';
import { inTransaction, type WritableDB } from './db/database';
import type { Logger } from './engineApi';
import { findInterruptedImports, finishImport } from './import/importRepo';
import { requeueInterruptedJobs } from './jobs/derivedRepo';
import { requeueOutdatedFilmstrips } from './jobs/filmstripIndex';
import { evidencePath, type StationLayout } from './store/layout';
import { unrecordedMadeFiles } from './store/storeMadeFile';
import { stationTimestamp } from './util/time';

/**
 * Brings a data directory back to a consistent state after a crash or a killed process, before
 * anything else touches it: half-written temporary files go, imports left running are closed as
 * interrupted, copies that were stored but never recorded go, derived-media jobs resume.
 * Everything it does is logged; what touches evidence records is also on the custody log.
 */
export async function recoverDataDir(opts: {
  db: WritableDB;
  layout: StationLayout;
  log: Logger;
  now: () => Date;
  station: string;
}): Promise<{ tempFilesRemoved: number; interruptedImports: number; orphansRemoved: number }> {
  const { db, layout, log, now, station } = opts;

  const temps = await readdir(layout.tmpDir).catch(() => [] as string[]);
  // A clip or still stored but not yet recorded when the process died: its copy has no item.
  const isRecorded = (sha256: string): boolean =>
    Boolean(db.prepare('SELECT 1 FROM items WHERE sha256 = ?').get(sha256));
  let madeRemoved = 0;
  for (const sha256 of unrecordedMadeFiles(temps, isRecorded)) {
    const path = evidencePath(layout, sha256);
    await chmod(path, 0o600).catch(() => undefined);
    await rm(path, { force: true });
    madeRemoved++;
    log.warn('removed a stored clip or still that an interrupted run never recorded', { sha256 });
  }
  for (const name of temps) {
    await rm(join(layout.tmpDir, name), { force: true, recursive: true });
    log.warn('removed a leftover temporary file from an interrupted run', { file: name });
  }

  const interrupted = findInterruptedImports(db);
  let orphansRemoved = 0;
  if (interrupted.length > 0) {
    // Only an interrupted import can leave a stored copy without a record (between rename and
    // commit); such a copy was never reported as imported, and its source is still on the device.
    for (const file of await listStoredFiles(layout.evidenceDir)) {
      const known = db.prepare('SELECT 1 FROM items WHERE sha256 = ?').get(file.sha256);
      if (known) continue;
      await chmod(file.path, 0o600).catch(() => undefined);
      await unlink(file.path);
      orphansRemoved++;
      log.warn('removed a stored copy that an interrupted import never recorded', { sha256: file.sha256 });
    }
    inTransaction(db, () => {
      for (const id of interrupted) {
        const at = stationTimestamp(now());
        finishImport(db, id, 'failed', at);
        appendCustody(db, {
          at,
          actor: 'station',
          station,
          action: 'import.interrupted',
          subject: id,
          sha256: null,
          details: { orphansRemoved },
        });
      }
    });
  }

  const requeued = requeueInterruptedJobs(db);
  if (requeued) log.info('resumed derived-media jobs', { count: requeued });
  const outdated = requeueOutdatedFilmstrips(db);
  if (outdated) log.info('filmstrips of the first format queued to be made again', { count: outdated });

  return {
    tempFilesRemoved: temps.length,
    interruptedImports: interrupted.length,
    orphansRemoved: orphansRemoved + madeRemoved,
  };
}

export async function listStoredFiles(evidenceDir: string): Promise<{ sha256: string; path: string }[]> {
  const out: { sha256: string; path: string }[] = [];
  for (const a of await readdir(evidenceDir).catch(() => [] as string[])) {
    for (const b of await readdir(join(evidenceDir, a)).catch(() => [] as string[])) {
      for (const name of await readdir(join(evidenceDir, a, b)).catch(() => [] as string[])) {
        out.push({ sha256: name, path: join(evidenceDir, a, b, name) });
      }
    }
  }
  return out;
}
