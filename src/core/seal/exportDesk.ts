import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ExportResult } from '../../shared/sealSchemas';
import type { Services } from '../api/services';
import { findCase } from '../cases/casesRepo';
import { inTransaction } from '../db/database';
import { SourceGate } from '../import/sourcePolicy';
import { latestCheckpoint } from '../custody/checkpoints';
import type { CallContext } from '../engineApi';
import { approvalStatements, checkpointStatements, type SealStatement } from '../package/sealStatements';
import { approvalStatementOf } from '../approval/versionSteps';
import { receiptStatementsOf } from '../sync/exportReceipts';
import { refuseWhileCustodyProblems } from './custodyGate';
import { getCaseVersion, listCaseVersions, sealSeqOf } from './caseVersionsRepo';
import type { exportBag, ExportBagProgress } from '../package/exportBag';
import { sealedPackageToExport, sourceOfFailedCopy } from './sealedPackageGuard';
import { EXPORT_STARTED, planExport } from './exportIntents';

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
  /** The host that relayed the call: where a package may go depends on it (see `checkDestination`). */
  via: CallContext['via'];
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

  /**
   * Where a package may go. The CLI runs as the OS user, who may write anywhere the OS lets them.
   * A UI host is driven by whoever signs in to the station, who is not necessarily the OS user:
   * there a package may go only where an import may come from (`sourcePolicy.ts`: removable
   * media, the OS user's home, folders an admin allowed), never into a system tree. Nobody
   * exports into the station's own data folder (by what it is on disk, so a link or `..`
   * counts too): a package there is not on a medium, and would sit among the store's own files.
   */
  private async checkDestination(to: string, via: CallContext['via']): Promise<void> {
    if (!isAbsolute(to)) throw new AppError('export.destination', { path: to });
    const target = await stat(to).catch(() => null);
    if (!target?.isDirectory()) throw new AppError('export.destination', { path: to });
    const real = await realpath(to);
    const gate = new SourceGate({
      via,
      dataDir: this.s.layout.root,
      roots: [...this.s.settings().importRoots, ...this.s.hostImportRoots],
    });
    const refusal = await gate.refusalOf(real, resolve(to));
    if (refusal === 'inStation') throw new AppError('export.destination', { path: to });
    if (refusal !== null && via !== 'cli' && via !== 'test')
      throw new AppError('export.destinationNotAllowed', { path: to });
  }

  /**
   * The station's newest signed custody checkpoint, as the two files the copy carries (FORMAT.md).
   * A fresh one is signed now; when the key cannot sign (a passphrase not at hand) the newest
   * existing one is carried. It is carried only when it covers the package's chain head (the entry
   * just before the seal entry, `sealSeq - 1`) and is signed by the key that signed the package,
   * the one a verifier of the copy holds.
   */
  private async checkpointToCarry(
    sealSeq: number,
  ): Promise<{ files: SealStatement[]; checkpoint: { seq: number; hash: string } | null }> {
    const s = this.s;
    const fresh = await s.checkpoints.checkpoint('export');
    const signed = fresh ?? latestCheckpoint(s.db);
    if (!signed || signed.statement.seq < sealSeq - 1 || signed.statement.keyFingerprint !== s.stationKey.fingerprint) {
      s.log.warn('the export carries no custody checkpoint: none covers the sealed version', {
        sealSeq,
        newest: signed?.statement.seq ?? null,
      });
      return { files: [], checkpoint: null };
    }
    return {
      files: checkpointStatements(signed),
      checkpoint: { seq: signed.statement.seq, hash: signed.statement.hash },
    };
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
    refuseWhileCustodyProblems(s.db, 'export.custodyProblem');
    await this.checkDestination(input.to, input.via);
    const statements = await this.checkpointToCarry(sealSeqOf(s.db, row.id, version.version) ?? Infinity);
    // An approved version's exports carry the supervisor's signed approval (FORMAT.md).
    const approval = approvalStatementOf(s.db, { caseId: row.id, version: version.version });
    // A version the central server received carries its signed receipts and the server key (FORMAT.md).
    const receipts = receiptStatementsOf(s.db, { caseId: row.id, version: version.version });

    const format = input.zip ? 'zip' : 'folder';
    const onProgress = (p: ExportBagProgress): void => s.emit('export.progress', { jobId: input.jobId, ...p });
    const base = { number: row.number, version: version.version, format, tagManifestSha256: version.tagManifestSha256 };
    let source: Awaited<ReturnType<typeof sealedPackageToExport>> | null = null;
    let startedSeq: number | null = null;
    try {
      source = await sealedPackageToExport(s.db, s.layout, {
        caseId: row.id,
        number: row.number,
        version: version.version,
      });
      // Recorded before the medium is touched: a process killed from here on still leaves a
      // record, which the next start closes (exportIntents.ts).
      const plan = await planExport(input.to, source.seal.packageName, input.zip);
      const started = inTransaction(s.db, () =>
        s.record({
          actor,
          action: EXPORT_STARTED,
          subject: row.id,
          sha256: null,
          details: { ...base, ...plan, jobId: input.jobId },
        }),
      );
      startedSeq = started.seq;
      const result = await this.exportBag({
        bagDir: source.dir,
        destDir: input.to,
        zip: input.zip,
        signal,
        onProgress,
        expectFingerprint: s.stationKey.fingerprint,
        sealStatements: [...statements.files, ...(approval ? approvalStatements(approval) : []), ...receipts],
        owner: { stationId: s.stationId },
        log: s.log,
      });
      inTransaction(s.db, () =>
        s.record({
          actor,
          action: 'case.export',
          subject: row.id,
          sha256: null,
          details: {
            ...base,
            destination: result.path,
            bytes: result.bytes,
            outcome: 'verified',
            checkpoint: statements.checkpoint,
            approvalCarried: approval !== null,
            receiptsCarried: receipts.filter((r) => r.path.endsWith('.json')).length,
            startedSeq,
          },
        }),
      );
      return { path: result.path, bytes: result.bytes, verified: true, case: row.number, version: version.version };
    } catch (error) {
      const raised =
        error instanceof AppError
          ? error
          : signal.aborted
            ? new AppError('export.cancelled')
            : new AppError('export.failed', { reason: error instanceof Error ? error.message : String(error) });
      // A copy that did not verify may have been copied from a damaged package: say which.
      const failure = source ? await sourceOfFailedCopy(source, raised, signal) : raised;
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
            startedSeq,
          },
        }),
      );
      throw failure;
    }
  }
}
