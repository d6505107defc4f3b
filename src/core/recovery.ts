import { chmod, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppendEntry } from './custody/guardedAppend';
import { inTransaction, type WritableDB } from './db/database';
import type { Logger } from './engineApi';
import { findInterruptedImports, finishImport, insertImportFile } from './import/importRepo';
import { HashCopier } from './store/hashCopy';
import { moveToQuarantine } from './store/quarantine';
import { clearImportIntents, openStoreIntents, unreachedFiles } from './store/storeIntents';
import { requeueInterruptedJobs } from './jobs/derivedRepo';
import { requeueOutdatedFilmstrips } from './jobs/filmstripIndex';
import type { StationLayout } from './store/layout';
import { unrecordedMadeFiles } from './store/storeMadeFile';
import { stationTimestamp } from './util/time';

/**
 * Brings a data directory back to a consistent state after a crash or a killed process, before
 * anything else touches it, and only under the data directory's lock: half-written temporary files
 * go; imports left running are closed as interrupted, every file they had not reached listed;
 * a stored copy without an item is discarded only when the engine's own intent names it and a
 * re-hash shows it holds those bytes, and is otherwise moved to quarantine, never deleted;
 * derived-media jobs resume.
 * Everything it does is logged; what touches evidence records is also on the custody log.
 */
export async function recoverDataDir(opts: {
  db: WritableDB;
  layout: StationLayout;
  log: Logger;
  now: () => Date;
  station: string;
  /** The engine's guarded custody append. */
  append: AppendEntry;
}): Promise<{
  tempFilesRemoved: number;
  interruptedImports: number;
  orphansRemoved: number;
  quarantined: number;
}> {
  const { db, layout, log, now, station, append } = opts;

  const temps = await readdir(layout.tmpDir).catch(() => [] as string[]);
  const isRecorded = (sha256: string): boolean =>
    Boolean(db.prepare('SELECT 1 FROM items WHERE sha256 = ?').get(sha256));
  // The engine's own records of copies it was making: a clip or still's `.storing` marker, an
  // import's store intent (migration 70). Only these may be discarded, and only after a re-hash.
  const covered = new Set<string>(unrecordedMadeFiles(temps, isRecorded));
  for (const sha of openStoreIntents(db).sha256s) covered.add(sha);
  const interrupted = findInterruptedImports(db);

  let orphansRemoved = 0;
  let quarantined = 0;
  if (interrupted.length > 0 || covered.size > 0) {
    const hasher = new HashCopier();
    try {
      for (const file of await listStoredFiles(layout.evidenceDir)) {
        if (isRecorded(file.sha256)) continue;
        if (covered.has(file.sha256)) {
          const holds = await hasher.hash(file.path).then(
            (h) => h.sha256 === file.sha256,
            () => false,
          );
          if (holds) {
            // Never reported as imported or made; an import's source is still on its device.
            await chmod(file.path, 0o600).catch(() => undefined);
            await unlink(file.path);
            orphansRemoved++;
            log.warn('discarded a stored copy that an interrupted run never recorded (its intent named it)', {
              sha256: file.sha256,
            });
            continue;
          }
        }
        await moveToQuarantine({
          db,
          append,
          layout,
          path: file.path,
          sha256: file.sha256,
          reason: covered.has(file.sha256)
            ? 'an unfinished copy that does not hold the bytes it is named for'
            : 'a stored copy with no item that no record of the station accounts for',
          at: stationTimestamp(now()),
          station,
        });
        quarantined++;
        log.warn('moved a stored copy without an item to quarantine', { sha256: file.sha256 });
      }
    } finally {
      await hasher.close();
    }
  }
  for (const name of temps) {
    await rm(join(layout.tmpDir, name), { force: true, recursive: true });
    log.warn('removed a leftover temporary file from an interrupted run', { file: name });
  }

  if (interrupted.length > 0) {
    inTransaction(db, () => {
      for (const id of interrupted) {
        const at = stationTimestamp(now());
        // Every file the import found and never reached is on its record, as interrupted.
        const unreached = unreachedFiles(db, id);
        for (const { ordinal, file } of unreached) insertImportFile(db, id, ordinal, file);
        clearImportIntents(db, id);
        finishImport(db, id, 'failed', at);
        append({
          at,
          actor: 'station',
          station,
          action: 'import.interrupted',
          subject: id,
          sha256: null,
          details: { orphansRemoved, quarantined, filesNotReached: unreached.length },
        });
      }
    });
  }
  // Intents of imports that did end (a crash between their last outcome and their finish).
  db.prepare('DELETE FROM store_intents').run();

  const requeued = requeueInterruptedJobs(db);
  if (requeued) log.info('resumed derived-media jobs', { count: requeued });
  const outdated = requeueOutdatedFilmstrips(db);
  if (outdated) log.info('filmstrips of the first format queued to be made again', { count: outdated });

  return {
    tempFilesRemoved: temps.length,
    interruptedImports: interrupted.length,
    orphansRemoved,
    quarantined,
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
