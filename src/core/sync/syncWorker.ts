import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { idempotencyKeyOf, type CommitRequest } from '../../shared/syncProtocol';
import type { SyncStatus, SyncSummary } from '../../shared/syncSchemas';
import type { Services } from '../api/services';
import { markVersionRefused, markVersionSynced } from '../approval/versionSteps';
import { custodyBySeqs } from '../custody/custodyLog';
import { inTransaction } from '../db/database';
import { isSafeBagPath } from '../package/bagFormat';
import { packageDir } from '../seal/packageStore';
import { sealSeqOf } from '../seal/caseVersionsRepo';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff';
import { readSyncSettings, type Enrolment } from './enrolmentRepo';
import { readEnrolmentOnRecord } from './enrolmentOnRecord';
import { LiveProgress } from './liveProgress';
import { NetworkWatch } from './networkWatch';
import {
  dueVersions,
  fileFailed,
  filesOf,
  insertFiles,
  insertReceipt,
  markFileUploaded,
  markFilesHeld,
  markRefused,
  markSynced,
  nextDueMs,
  resetFilesBySha,
  setConfirmedOffset,
  setUploadUrl,
  versionFailed,
  versionWaits,
  type OutboxVersion,
  type VersionKey,
} from './outboxRepo';
import { PackageUnreadableError, listPackageFiles } from './packageFiles';
import { checkReceipt } from './receiptCheck';
import { ServerClient } from './serverClient';
import { SyncFailure, asSyncFailure } from './syncFailure';
import { buildSyncStatus, summarize } from './syncStatus';
import { isInsideWindow, nextWindowOpening } from './syncWindow';
import { stationTimestamp } from '../util/time';
import { queueApprovedVersions } from './queueVersion';
import { BandwidthLimiter } from './throttle';
import { uploadFile } from './tusUpload';

/**
 * The station's sync worker: one per engine, in the engine's process (never the UI's). It wakes
 * on "sync now", on a timer, at the next retry a backoff set, and when the network changes; each
 * pass takes the queued versions in order: asks the server which blobs it holds, uploads the
 * others with tus, commits the version and keeps the verified receipt. Every state it reaches is
 * in SQLite (outboxRepo.ts), so a restart — or a SIGKILL — resumes where the server says it
 * stopped. It never deletes or changes evidence or packages.
 */

export interface SyncTuning {
  /** Run the timer and the network watch (an engine that lives: the app, `serve`). Default true. */
  background?: boolean;
  backoff?: BackoffPolicy;
  /** Look for due versions at least this often. */
  timerMs?: number;
  networkPollMs?: number;
  /**
   * Bytes per tus PATCH: the most a cut can cost to send again (the central server keeps the
   * bytes of a cut PATCH, so there it costs only those in flight).
   */
  chunkSize?: number;
  /** No progress for this long: the connection is taken as lost. */
  stallMs?: number;
  /** For tests: the randomness of the backoff's jitter. */
  random?: () => number;
}

/** The tuning an engine runs with unless told otherwise (the bench reports the chunk size beside a cut's cost). */
export const SYNC_DEFAULTS = {
  timerMs: 60_000,
  networkPollMs: 5_000,
  // Each PATCH costs a nonce, a signature, the server's checks and lock, and an outbox write with
  // fsync: at 32 MiB a 2 GB file paid that 64 times. The upload figure (512 MiB, one run each under
  // load) measured a median of 0.75× curl at 32 MiB and 0.99× at 128 MiB (BENCH_UPLOAD_CHUNK_MIB).
  chunkSize: 128 * 1024 * 1024,
  stallMs: 60_000,
};

export type SyncServices = Pick<
  Services,
  'db' | 'layout' | 'log' | 'now' | 'stationId' | 'stationKey' | 'record' | 'emit'
>;

const ACTOR = 'station';

export class SyncWorker {
  private readonly live = new LiveProgress();
  private readonly refusedToQueue = new Set<string>();
  private readonly limiter: BandwidthLimiter;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly controller = new AbortController();
  private readonly network: NetworkWatch | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** A pass asked for while one runs: it starts when that one ends (with the strongest request). */
  private queued: { ignoreBackoff: boolean; promise: Promise<void> } | null = null;
  private active: VersionKey | null = null;
  private closed = false;

  constructor(
    private readonly s: SyncServices,
    private readonly tuning: SyncTuning = {},
  ) {
    this.backoff = tuning.backoff ?? DEFAULT_BACKOFF;
    this.random = tuning.random ?? Math.random;
    this.limiter = new BandwidthLimiter(() => readSyncSettings(s.db).bandwidthBytesPerSec);
    this.network =
      tuning.background === false
        ? null
        : new NetworkWatch(tuning.networkPollMs ?? SYNC_DEFAULTS.networkPollMs, () => {
            s.log.info('the network changed: sync tries now');
            void this.requestPass(true);
          });
  }

  /** Starts the timer and the network watch (background engines only). */
  start(): void {
    if (this.tuning.background === false || this.closed) return;
    this.network?.start();
    this.schedule(0);
  }

  /** "Sync now": a pass that does not wait for backoffs; resolves when it has ended. */
  syncNow(): Promise<void> {
    return this.requestPass(true);
  }

  /** Something changed that sync may act on (an approval, an enrolment): a pass soon, backoffs kept. */
  nudge(): void {
    // A command's engine uploads only when asked: an `approve` must not start sending on its way out.
    if (this.tuning.background === false) return;
    void this.requestPass(false);
  }

  status(): SyncStatus {
    return buildSyncStatus(this.s.db, {
      live: this.live,
      running: this.running !== null,
      active: this.active,
      now: this.s.now(),
    });
  }

  summary(): SyncSummary[] {
    return summarize(this.status(), this.s.db);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.network?.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.controller.abort(new Error('the engine is closing'));
    await this.running?.catch(() => undefined);
    await this.queued?.promise.catch(() => undefined);
  }

  private changed(caseId: string | null): void {
    this.s.emit('sync.changed', { caseId });
  }

  private schedule(delayMs: number): void {
    if (this.tuning.background === false || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.requestPass(false);
      },
      Math.max(0, delayMs),
    );
    this.timer.unref();
  }

  private requestPass(ignoreBackoff: boolean): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (!this.running) {
      this.running = this.pass(ignoreBackoff).finally(() => {
        this.running = null;
        this.afterPass();
      });
      return this.running;
    }
    if (this.queued) {
      this.queued.ignoreBackoff ||= ignoreBackoff;
      return this.queued.promise;
    }
    const entry = { ignoreBackoff, promise: Promise.resolve() };
    entry.promise = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.requestPass(entry.ignoreBackoff);
      });
    this.queued = entry;
    return entry.promise;
  }

  /** The next wake: the earliest retry, or the timer, whichever comes first. */
  private afterPass(): void {
    if (this.closed || this.tuning.background === false) return;
    const timerMs = this.tuning.timerMs ?? SYNC_DEFAULTS.timerMs;
    const next = nextDueMs(this.s.db);
    const untilNext = next === null ? timerMs : Math.min(timerMs, next - this.s.now().getTime());
    this.schedule(untilNext);
  }

  /** A pass never throws: each version's failure is on its outbox row; anything else is logged. */
  private async pass(ignoreBackoff: boolean): Promise<void> {
    try {
      await this.passOnce(ignoreBackoff);
    } catch (error) {
      this.s.log.error('a sync pass failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async passOnce(ignoreBackoff: boolean): Promise<void> {
    const s = this.s;
    // Never to a server the custody log did not enrol this station with (enrolmentOnRecord.ts).
    const enrolment = readEnrolmentOnRecord(s.db);
    if (!enrolment) return;
    const queued = queueApprovedVersions(s, ACTOR, (key, error) => {
      // Said once per engine run, not on every pass; `check` keeps listing it.
      const id = `${key.caseId}/${key.version}`;
      if (this.refusedToQueue.has(id)) return;
      this.refusedToQueue.add(id);
      s.log.error('an approved version is not queued: its approval is not on record', { ...key, ...error.params });
    });
    for (const key of queued) this.changed(key.caseId);
    const now = s.now();
    const due = dueVersions(s.db, now.getTime(), ignoreBackoff);
    for (const version of due) {
      if (this.controller.signal.aborted) return;
      const window = readSyncSettings(s.db).window;
      const at = s.now();
      if (!isInsideWindow(at, window)) {
        const opens = nextWindowOpening(at, window);
        for (const v of due)
          versionWaits(s.db, v, {
            code: 'window',
            detail: `${window?.start ?? ''}–${window?.end ?? ''}`,
            nextAttemptMs: opens.getTime(),
          });
        this.changed(null);
        return;
      }
      await this.syncVersion(enrolment, version);
    }
  }

  private retryAt(attempts: number): number {
    return this.s.now().getTime() + retryDelayMs(attempts, this.backoff, this.random);
  }

  private async syncVersion(enrolment: Enrolment, v: OutboxVersion): Promise<void> {
    const s = this.s;
    const signal = this.controller.signal;
    const key: VersionKey = { caseId: v.caseId, version: v.version };
    const client = new ServerClient(enrolment.serverUrl, {
      stationId: s.stationId,
      sign: (data) => s.stationKey.sign(data),
    });
    this.active = key;
    this.changed(v.caseId);
    let currentFile: string | null = null;
    try {
      const dir = packageDir(s.layout, v.packageName);
      if (filesOf(s.db, key).length === 0) {
        const listed = await listPackageFiles(dir, v.tagManifestSha256);
        inTransaction(s.db, () => {
          if (filesOf(s.db, key).length === 0) insertFiles(s.db, key, listed);
        });
      }
      // The rows say which files to read and send: one edited to name a path outside the sealed
      // package (`../…`) must not make sync read and send another file of the station.
      const strayRow = filesOf(s.db, key).find((f) => !isSafeBagPath(f.path));
      if (strayRow)
        throw new PackageUnreadableError(`the outbox lists ${strayRow.path}, which is not a path inside the package`);
      const pending = filesOf(s.db, key).filter((f) => f.done === null);
      if (pending.length > 0) {
        const held = await client.have([...new Set(pending.map((f) => f.sha256))], signal);
        if (held.size > 0) markFilesHeld(s.db, key, held);
        this.changed(v.caseId);
      }
      for (const file of filesOf(s.db, key)) {
        if (file.done !== null) continue;
        if (signal.aborted) return;
        const window = readSyncSettings(s.db).window;
        if (!isInsideWindow(s.now(), window)) {
          versionWaits(s.db, key, {
            code: 'window',
            detail: `${window?.start ?? ''}–${window?.end ?? ''}`,
            nextAttemptMs: nextWindowOpening(s.now(), window).getTime(),
          });
          return;
        }
        currentFile = file.path;
        this.live.update(v.caseId, v.version, file.path, file.offset);
        await uploadFile({
          client,
          filePath: join(dir, ...file.path.split('/')),
          name: file.path,
          sha256: file.sha256,
          size: file.size,
          uploadUrl: file.uploadUrl,
          limiter: this.limiter,
          signal,
          chunkSize: this.tuning.chunkSize ?? SYNC_DEFAULTS.chunkSize,
          stallMs: this.tuning.stallMs ?? SYNC_DEFAULTS.stallMs,
          onUploadUrl: (url) => setUploadUrl(s.db, key, file.path, url),
          onConfirmed: (offset, sent) => setConfirmedOffset(s.db, key, file.path, offset, sent),
          onProgress: (bytes) => this.live.update(v.caseId, v.version, file.path, bytes),
        });
        markFileUploaded(s.db, key, file.path);
        this.live.end(v.caseId, v.version, file.path);
        currentFile = null;
        this.changed(v.caseId);
      }
      await this.commit(client, enrolment, v, key);
    } catch (error) {
      if (currentFile) this.live.end(v.caseId, v.version, currentFile);
      if (signal.aborted) return;
      this.failed(v, key, currentFile, error);
    } finally {
      this.active = null;
      this.changed(v.caseId);
    }
  }

  private async commit(client: ServerClient, enrolment: Enrolment, v: OutboxVersion, key: VersionKey): Promise<void> {
    const s = this.s;
    const files = filesOf(s.db, key).map((f) => ({ path: f.path, sha256: f.sha256, size: f.size }));
    // A commit the server refuses stays refused under this version's key, so it must list what the
    // sealed package holds, not rows that were edited or corrupted since they were listed.
    const sealed = await listPackageFiles(packageDir(s.layout, v.packageName), v.tagManifestSha256);
    const rowOf = new Map(files.map((f) => [f.path, f]));
    const differs = sealed.find((f) => {
      const row = rowOf.get(f.path);
      return !row || row.sha256 !== f.sha256 || row.size !== f.size;
    });
    const sealedPaths = new Set(sealed.map((f) => f.path));
    const extra = files.find((f) => !sealedPaths.has(f.path));
    const wrong = differs ?? extra;
    if (wrong)
      throw new PackageUnreadableError(
        `the outbox says ${wrong.path} is not what the sealed package holds: the commit is not sent`,
      );
    const sealSeq = sealSeqOf(s.db, v.caseId, v.version);
    const [sealEntry] = sealSeq === null ? [] : custodyBySeqs(s.db, [sealSeq]);
    if (!sealEntry) throw new PackageUnreadableError(`the case.seal entry of ${v.caseNumber} v${v.version} is missing`);
    const request: CommitRequest = {
      caseNumber: v.caseNumber,
      version: v.version,
      tagManifestSha256: v.tagManifestSha256,
      files,
      sealEntry,
    };
    const idempotencyKey = idempotencyKeyOf(s.stationId, request);
    const answer = await client.commit(request, idempotencyKey, this.controller.signal);
    const checked = checkReceipt(answer, {
      serverKeyPem: enrolment.serverKeyPem,
      serverKeyFingerprint: enrolment.serverKeyFingerprint,
      stationId: s.stationId,
      stationKeyFingerprint: s.stationKey.fingerprint,
      caseNumber: v.caseNumber,
      version: v.version,
      tagManifestSha256: v.tagManifestSha256,
      files,
      idempotencyKey,
    });
    const receivedAt = checked.receipt.receivedAt;
    inTransaction(s.db, () => {
      const entry = s.record({
        actor: ACTOR,
        action: 'sync.receipt',
        subject: v.caseId,
        sha256: createHash('sha256').update(checked.text, 'utf8').digest('hex'),
        details: {
          number: v.caseNumber,
          version: v.version,
          tagManifestSha256: v.tagManifestSha256,
          seq: checked.receipt.seq,
          receivedAt,
          serverUrl: enrolment.serverUrl,
          serverKeyFingerprint: enrolment.serverKeyFingerprint,
          files: files.length,
        },
      });
      const receiptId = insertReceipt(s.db, {
        caseId: v.caseId,
        version: v.version,
        seq: checked.receipt.seq,
        serverKeyFingerprint: enrolment.serverKeyFingerprint,
        receiptJson: checked.text,
        signature: checked.signature,
        receivedAt,
        custodySeq: entry.seq,
      });
      markSynced(s.db, key, receiptId, entry.at);
      markVersionSynced(s, { ...key, actor: ACTOR, details: { seq: checked.receipt.seq, receiptEntry: entry.seq } });
    });
    s.emit('cases.changed', { caseId: v.caseId });
    s.log.info('a case version is synced', { case: v.caseNumber, version: v.version, seq: checked.receipt.seq });
  }

  private failed(v: OutboxVersion, key: VersionKey, path: string | null, error: unknown): void {
    const s = this.s;
    const failure =
      error instanceof PackageUnreadableError
        ? new SyncFailure('package.unreadable', error.message)
        : error instanceof AppError && error.code.startsWith('key.')
          ? // The station key cannot sign now (its passphrase is not set, the keychain refused).
            new SyncFailure('stationKey', error.code)
          : asSyncFailure(error);
    if (failure.final) {
      inTransaction(s.db, () => {
        const refused = markVersionRefused(s, {
          ...key,
          actor: ACTOR,
          reason: failure.detail,
          details: { code: failure.code, problems: failure.opts.problems ?? [] },
        });
        markRefused(s.db, key, failure.detail, refused.refusedAt ?? stationTimestamp(s.now()));
      });
      s.emit('cases.changed', { caseId: v.caseId });
      s.log.warn('the server refused a case version', {
        case: v.caseNumber,
        version: v.version,
        reason: failure.detail,
      });
      return;
    }
    const nextAttemptMs = this.retryAt(v.attempts + 1);
    inTransaction(s.db, () => {
      if (path)
        fileFailed(s.db, key, path, {
          code: failure.code,
          detail: failure.detail,
          nextAttemptMs,
          // The server dropped the partial upload (a hash mismatch) or no longer knows it: start again.
          restart: failure.code === 'upload.hashMismatch' || failure.code === 'upload.notFound',
        });
      versionFailed(s.db, key, { code: failure.code, detail: failure.detail, nextAttemptMs });
      if (failure.code === 'blob.missing') {
        // Named by hash in `problems` (PROTOCOL.md); the message may name them too.
        const problems = failure.opts.problems ?? [];
        const named = [...problems, failure.detail].join(' ').match(/[0-9a-f]{64}/g) ?? [];
        resetFilesBySha(
          s.db,
          key,
          [...new Set(named)],
          (sha256) => problems.find((p) => p.includes(sha256)) ?? failure.detail,
        );
      }
    });
    s.log.warn('sync will try again', {
      case: v.caseNumber,
      version: v.version,
      file: path,
      code: failure.code,
      detail: failure.detail,
      retryInMs: nextAttemptMs - s.now().getTime(),
    });
  }
}
