import { realpath, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ExportResult } from '../../shared/sealSchemas';
import type { Services } from '../api/services';
import { findCase } from '../cases/casesRepo';
import { inTransaction } from '../db/database';
import { isWithin } from '../import/sourcePolicy';
import { getCaseVersion, listCaseVersions } from './caseVersionsRepo';
import type { exportBag, ExportBagProgress } from '../package/exportBag';
import { packageDir } from './packageStore';

/**
 * Exporting a sealed version to a medium (`cases.export`). The copy itself, with its free-space
 * check, temporary name, fsync, rename and read-back verification, is the package exporter's
 * (`package/exportBag.ts`); this desk picks the version, runs one export at a time (a station
 * writes to one removable medium at a time, and two exports would share its bandwidth and free
 * space), turns progress into `export.progress` events, and puts the outcome on the custody
 * record, failures included.
 */

/** The package exporter (`package/exportBag.ts`); a parameter so the desk depends on its shape only. */
export type BagExporter = typeof exportBag;

export interface ExportInput {
  caseId: string;
  version?: number | undefined;
  to: string;
  zip: boolean;
  jobId: string;
}

export class ExportDesk {
  private running: { jobId: string; controller: AbortController; done: Promise<unknown> } | null = null;

  constructor(
    private readonly s: Services,
    private readonly exportBag: BagExporter,
  ) {}

  cancel(jobId: string): void {
    if (this.running?.jobId === jobId) this.running.controller.abort();
  }

  async close(): Promise<void> {
    const running = this.running;
    running?.controller.abort();
    await running?.done.catch(() => undefined);
  }

  export(input: ExportInput, actor: string): Promise<ExportResult> {
    if (this.running) throw new AppError('export.busy');
    const controller = new AbortController();
    const done = this.run(input, actor, controller.signal);
    this.running = { jobId: input.jobId, controller, done };
    return done.finally(() => {
      this.running = null;
    });
  }

  private async run(input: ExportInput, actor: string, signal: AbortSignal): Promise<ExportResult> {
    const s = this.s;
    const row = findCase(s.db, input.caseId);
    if (!row) throw new AppError('case.notFound', { ref: input.caseId });
    const version = getCaseVersion(s.db, row.id, input.version);
    if (!version) {
      if (listCaseVersions(s.db, row.id).length === 0) throw new AppError('case.notSealed', { number: row.number });
      throw new AppError('case.versionNotFound', { number: row.number, version: input.version ?? 0 });
    }
    if (!isAbsolute(input.to)) throw new AppError('export.destination', { path: input.to });
    const target = await stat(input.to).catch(() => null);
    if (!target?.isDirectory()) throw new AppError('export.destination', { path: input.to });
    // Never into the station's own folder (by what it is on disk, so a link or `..` counts too): a
    // package there is not on a medium, and would sit among the evidence store's own files.
    const [dest, station] = await Promise.all([realpath(input.to), realpath(s.layout.root)]);
    if (isWithin(dest, station)) throw new AppError('export.destination', { path: input.to });

    const format = input.zip ? 'zip' : 'folder';
    const onProgress = (p: ExportBagProgress): void => s.emit('export.progress', { jobId: input.jobId, ...p });
    const base = { number: row.number, version: version.version, format, tagManifestSha256: version.tagManifestSha256 };
    try {
      const result = await this.exportBag({
        bagDir: packageDir(s.layout, version.packageName),
        destDir: input.to,
        zip: input.zip,
        signal,
        onProgress,
        expectFingerprint: s.stationKey.fingerprint,
      });
      inTransaction(s.db, () =>
        s.record({
          actor,
          action: 'case.export',
          subject: row.id,
          sha256: null,
          details: { ...base, destination: result.path, bytes: result.bytes, outcome: 'verified' },
        }),
      );
      return { path: result.path, bytes: result.bytes, verified: true, case: row.number, version: version.version };
    } catch (error) {
      const failure =
        error instanceof AppError
          ? error
          : signal.aborted
            ? new AppError('export.cancelled')
            : new AppError('export.failed', { reason: error instanceof Error ? error.message : String(error) });
      s.log.warn('an export failed', { ...base, to: input.to, code: failure.code, error: String(error) });
      inTransaction(s.db, () =>
        s.record({
          actor,
          action: 'case.export.failed',
          subject: row.id,
          sha256: null,
          details: {
            ...base,
            destination: input.to,
            outcome: failure.code,
            reason: failure.params.reason ?? failure.code,
          },
        }),
      );
      throw failure;
    }
  }
}
