import { lstat } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { SealResult } from '../../shared/sealSchemas';
import type { Services } from '../api/services';
import { findCase, type CaseRow } from '../cases/casesRepo';
import { lastCustody } from '../custody/custodyLog';
import { inTransaction } from '../db/database';
import { BAG_INFO } from '../package/bagFormat';
import { BagWriteError, writeBag, type PayloadSource } from '../package/bagWriter';
import { canonicalJson } from '../util/canonicalJson';
import { stationTimestamp } from '../util/time';
import { buildCaseSnapshot, caseItemRows, type CaseSnapshot } from './caseSnapshot';
import { getCaseVersion, insertCaseVersion, packageNamesOfVersions, setCaseState } from './caseVersionsRepo';
import { makeReadOnly, packageDir, packageNameOf, removeUnsealedPackage } from './packageStore';
import { findHashMismatches } from './rehashFiles';
import { refuseWhileCustodyProblems } from './custodyGate';
import { quarantinePackageEntry } from './packageRecovery';
import type { ReportRenderer } from './reportRenderer';

/**
 * Sealing a case version (`cases.seal`). The order is what makes it safe:
 *
 * 1. Refuse what cannot be sealed (not a draft, untitled, empty), or while the custody log has a
 *    problem no admin has reviewed (`custodyGate.ts`), and unlock the key, before any work.
 * 2. Snapshot in one synchronous run of reads: `case.json`, the custody lines and the chain head
 *    (the newest entry) are one consistent state.
 * 3. Render the report and write the bag into `packages/<number>-v<n>/` (writeBag builds it in a
 *    temp folder and renames it). Every stored file is hard-linked into the bag (copied where the
 *    file system refuses a link) and re-read and hashed there, on both cores: a file that no
 *    longer matches its recorded hash stops the seal, and then every file is
 *    re-hashed from the disk on both cores so the refusal (and its `seal.hashMismatch` custody
 *    entry) names each one that differs.
 * 4. Make the package read-only, then ONE transaction: check the chain head is still the one in
 *    the package, write the `case.seal` entry, the `case_versions` row and the case's new state.
 *    The head may have moved meanwhile (an import or a clip appends entries while the bag is
 *    written; seals themselves run one at a time): the package is then removed and built again from
 *    a fresh snapshot, up to three times, else the seal is refused (`seal.failed`), nothing sealed.
 *
 * A crash before the commit leaves a package folder that no version row names; it was never
 * reported as sealed, and the next start moves it to quarantine (`packageRecovery.ts`).
 */

const ATTEMPTS = 3;

export interface SealDeskOptions {
  services: Services;
  renderReport: ReportRenderer;
  /** The ffmpeg version recorded in case.json's `software`. */
  ffmpegVersion: string | null;
}

export class SealDesk {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(private readonly opts: SealDeskOptions) {}

  /** Seals run one at a time per engine. */
  seal(caseId: string, actor: string): Promise<SealResult> {
    const run = this.queue.then(() => this.sealNow(caseId, actor));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops a seal in progress (its temp folder is removed); used when the engine closes. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.queue;
  }

  private sealableOrThrow(caseId: string): CaseRow {
    const s = this.opts.services;
    const row = findCase(s.db, caseId);
    if (!row) throw new AppError('case.notFound', { ref: caseId });
    if (row.state === 'sealed' || getCaseVersion(s.db, row.id, row.version)) {
      throw new AppError('case.alreadySealed', { number: row.number, version: row.version });
    }
    if (row.state !== 'draft') throw new AppError('case.notDraft', { state: row.state });
    if (row.title.trim() === '') throw new AppError('case.untitled', { number: row.number });
    if (caseItemRows(s.db, row.id).length === 0) throw new AppError('case.empty', { number: row.number });
    return row;
  }

  private async sealNow(caseId: string, actor: string): Promise<SealResult> {
    const s = this.opts.services;
    this.sealableOrThrow(caseId);
    refuseWhileCustodyProblems(s.db, 'seal.custodyProblem');
    await s.stationKey.unlock();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const row = this.sealableOrThrow(caseId);
      const snapshot = this.snapshot(row, actor);
      const name = packageNameOf(row.number, row.version, packageNamesOfVersions(s.db));
      const dir = packageDir(s.layout, name);
      // No version row names it (checked above). Whatever is there now was not written by this seal
      // (the start quarantined what it found): moved aside, never deleted.
      if (
        await lstat(dir).then(
          () => true,
          () => false,
        )
      )
        await quarantinePackageEntry({
          db: s.db,
          layout: s.layout,
          name,
          reason: 'in the way of a seal: in packages/ under the name of the version being sealed',
          at: stationTimestamp(s.now()),
          station: s.settings().stationName,
          // `record` stamps its own time and station name.
          append: ({ at: _at, station: _station, ...entry }) => s.record(entry),
        });
      const bag = await this.writePackage(row, snapshot, dir);
      try {
        await makeReadOnly(dir);
        const sealed = inTransaction(s.db, () => this.commit(row, snapshot, name, bag, actor));
        if (sealed) {
          s.emit('cases.changed', { caseId: row.id });
          return { case: row.number, version: row.version, tagManifestSha256: bag.tagManifestSha256, path: dir };
        }
      } catch (error) {
        await removeUnsealedPackage(dir);
        throw error;
      }
      await removeUnsealedPackage(dir);
      s.log.warn('the custody chain moved while the package was written; building it again', {
        case: row.number,
        version: row.version,
        attempt,
      });
    }
    throw new AppError('seal.failed', { reason: 'chainMoved' });
  }

  private snapshot(row: CaseRow, actor: string): CaseSnapshot {
    const s = this.opts.services;
    const settings = s.settings();
    const previous = getCaseVersion(s.db, row.id);
    return buildCaseSnapshot(s.db, s.layout, row, {
      version: row.version,
      previousVersion: previous?.version ?? null,
      sealedBy: actor,
      sealedAt: stationTimestamp(s.now()),
      stationId: s.stationId,
      stationName: settings.stationName,
      office: settings.officeName,
      keyFingerprint: s.stationKey.fingerprint,
      software: { name: 'evidence-station', version: s.version, ffmpeg: this.opts.ffmpegVersion },
    });
  }

  private async writePackage(
    row: CaseRow,
    snapshot: CaseSnapshot,
    dir: string,
  ): Promise<{ tagManifestSha256: string; payloadBytes: number }> {
    const s = this.opts.services;
    const { caseJson, custody } = snapshot;
    // The report renders while the stored files are hashed: the bag writes it last, once it is there.
    const report = this.opts.renderReport({ caseJson, custody });
    let reportFailure: { error: unknown } | null = null;
    report.catch((error: unknown) => {
      reportFailure = { error };
    });
    const payload: PayloadSource[] = [
      ...snapshot.files.map((f) => ({ bagPath: f.bagPath, file: f.storedPath, sha256: f.sha256 })),
      { bagPath: 'data/case.json', bytes: Buffer.from(caseJsonText(snapshot)) },
      // One entry per line exactly as chained (canonical JSON), so each line's hash recomputes alone.
      { bagPath: 'data/custody.jsonl', bytes: Buffer.from(custody.map((e) => `${canonicalJson(e)}\n`).join('')) },
      { bagPath: 'data/report.pdf', bytes: report.then((r) => r.pdf) },
      { bagPath: 'data/report.html', bytes: report.then((r) => Buffer.from(r.html)) },
    ];
    const seal = caseJson.seal;
    try {
      return await writeBag({
        dir,
        payload,
        bagInfo: [
          [BAG_INFO.sourceOrganization, seal.office],
          [BAG_INFO.baggingDate, seal.sealedAt.slice(0, 10)],
          [BAG_INFO.externalIdentifier, `${row.number} v${row.version}`],
          [BAG_INFO.stationId, seal.stationId],
          [BAG_INFO.keyFingerprint, seal.keyFingerprint],
          [BAG_INFO.sealedBy, seal.sealedBy],
          [BAG_INFO.chainHead, `${seal.chainHead.seq} ${seal.chainHead.hash}`],
        ],
        signer: s.stationKey,
        // The store's copies are 0444 and named by their hash: the package shares them (hard
        // links) and hashes them where they lie, instead of writing a second gigabyte.
        linkSources: true,
        signal: this.abort.signal,
      });
    } catch (error) {
      // A report that could not be made fails the seal as it did before the bag was begun.
      const failed = reportFailure as { error: unknown } | null;
      if (failed) throw failed.error;
      if (error instanceof BagWriteError && (error.kind === 'hashMismatch' || error.kind === 'sourceUnreadable')) {
        await this.refuseMismatch(row, snapshot);
      }
      s.log.error('the package could not be written', {
        case: row.number,
        version: row.version,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new AppError('seal.failed', { reason: error instanceof BagWriteError ? error.kind : 'writeFailed' });
    }
  }

  /** Names every stored file that differs from its hash, on the record and in the refusal. */
  private async refuseMismatch(row: CaseRow, snapshot: CaseSnapshot): Promise<void> {
    const s = this.opts.services;
    const mismatches = await findHashMismatches(snapshot.files, { signal: this.abort.signal });
    if (mismatches.length === 0) return;
    inTransaction(s.db, () => {
      s.record({
        actor: 'station',
        action: 'seal.hashMismatch',
        subject: row.id,
        sha256: null,
        details: { number: row.number, version: row.version, items: mismatches },
      });
    });
    throw new AppError('seal.hashMismatch', {
      items: mismatches.map((m) => m.name).join(', '),
      itemIds: mismatches.map((m) => m.itemId).join(','),
    });
  }

  /** Inside the one transaction; false when the chain head moved since the snapshot. */
  private commit(
    row: CaseRow,
    snapshot: CaseSnapshot,
    packageName: string,
    bag: { tagManifestSha256: string; payloadBytes: number },
    actor: string,
  ): boolean {
    const s = this.opts.services;
    const head = lastCustody(s.db);
    if (head?.seq !== snapshot.chainHead.seq || head.hash !== snapshot.chainHead.hash) return false;
    const current = this.sealableOrThrow(row.id);
    const { caseJson } = snapshot;
    const entry = s.record({
      actor,
      action: 'case.seal',
      subject: row.id,
      sha256: null,
      details: {
        number: row.number,
        version: current.version,
        tagManifestSha256: bag.tagManifestSha256,
        packageName,
        chainHead: snapshot.chainHead,
        itemCount: caseJson.items.length,
        payloadBytes: bag.payloadBytes,
      },
    });
    insertCaseVersion(s.db, {
      caseId: row.id,
      version: current.version,
      snapshot: caseJsonText(snapshot),
      tagManifestSha256: bag.tagManifestSha256,
      packageName,
      payloadBytes: bag.payloadBytes,
      itemCount: caseJson.items.length,
      sealedBy: actor,
      sealedAt: caseJson.seal.sealedAt,
      sealSeq: entry.seq,
    });
    setCaseState(s.db, {
      caseId: row.id,
      state: 'sealed',
      version: current.version,
      updatedAt: caseJson.seal.sealedAt,
    });
    return true;
  }
}

/** `data/case.json` as written in the package; the version row keeps the same text. */
function caseJsonText(snapshot: CaseSnapshot): string {
  return `${JSON.stringify(snapshot.caseJson, null, 2)}\n`;
}
