import { chmod, mkdir, stat } from 'node:fs/promises';
import { EventEmitter } from 'node:events';
import {
  contract,
  isMethodName,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodOutput,
} from '../shared/contract';
import { AppError } from '../shared/errors';
import type { Account, ImportRecord, Settings } from '../shared/schemas';
import packageJson from '../../package.json';
import { SessionRegistry } from './accounts/sessions';
import { findAccount, listAccounts } from './accounts/accountsRepo';
import { PasswordGate } from './accounts/passwordGate';
import { accountHandlers } from './api/accountHandlers';
import { authHandlers } from './api/authHandlers';
import { importHandlers } from './api/importHandlers';
import { batchHandlers } from './api/batchHandlers';
import { libraryHandlers } from './api/libraryHandlers';
import { jobsHandlers } from './api/jobsHandlers';
import type { Handlers, HandlerCall, Services } from './api/services';
import { stationHandlers } from './api/stationHandlers';
import { caseHandlers } from './api/caseHandlers';
import { reviewHandlers } from './api/reviewHandlers';
import { ReviewDesk } from './review/reviewDesk';
import { tagHandlers } from './api/tagHandlers';
import { taxonomyHandlers } from './api/taxonomyHandlers';
import { sealHandlers } from './api/sealHandlers';
import { approvalHandlers } from './api/approvalHandlers';
import { exportHandlers } from './api/exportHandlers';
import { SealDesk } from './seal/sealDesk';
import { ExportDesk } from './seal/exportDesk';
import { exportBag } from './package/exportBag';
import { packagesDir } from './seal/packageStore';
import { recoverPackagesDir } from './seal/packageRecovery';
import { closeInterruptedExports } from './seal/exportIntents';
import { ReportWorkerHost } from './report/renderReport';
import { keyHandlers } from './api/keyHandlers';
import { recordKeyCreation } from './keys/recordKeyCreation';
import { ensureStationKey, keyPaths, PASSPHRASE_ENV } from './keys/stationKey';
import { guardedAppender } from './custody/guardedAppend';
import { Checkpointer, type CheckpointReason } from './custody/checkpoints';
import { ChainHeadWriter } from './custody/headWriter';
import { custodyHandlers, checkpointVerdict } from './api/custodyHandlers';
import { openDatabase, type WritableDB } from './db/database';
import { migrate } from './db/migrate';
import type { CallContext, Engine, EngineOptions, Logger, MediaFile } from './engineApi';
import { ImportManager } from './import/importManager';
import { DerivedRunner } from './jobs/derivedRunner';
import { filmstripSheetPath } from './jobs/filmstripIndex';
import { derivedFile } from './jobs/derivedRepo';
import { getItemRow } from './library/itemsRepo';
import { resolveMediaTools, type MediaTools } from './media/tools/binaries';
import { abortAllProcesses } from './media/tools/runProcess';
import { recoverDataDir } from './recovery';
import { ensureStationId, readSettings, writeSettings } from './station/stationRepo';
import { evidencePath, stationLayout } from './store/layout';
import { join } from 'node:path';
import { stationTimestamp } from './util/time';
import { mimeTypeOf } from './library/mimeType';
import { checkStation, type CheckReport } from './check/checkStation';
import { HashCopier } from './store/hashCopy';
import { inFlightWork } from './store/inFlight';
import { resolveQuarantined, type QuarantineDecision, type QuarantineResolved } from './store/quarantineResolution';
import { teeToLogFile } from './log/fileLogger';
import { defaultResourcesDir, installDefaultTaxonomy } from './taxonomy/installDefault';
import { acquireEngineLock, type EngineLock, type OwnerRecord } from './station/engineLock';
import { engineSocketPath } from './daemon/socketPath';
import { syncHandlers } from './api/syncHandlers';
import { SyncWorker } from './sync/syncWorker';

export const consoleLogger: Logger = {
  info: (message, fields) => console.error(JSON.stringify({ level: 'info', message, ...fields })),
  warn: (message, fields) => console.error(JSON.stringify({ level: 'warn', message, ...fields })),
  error: (message, fields) => console.error(JSON.stringify({ level: 'error', message, ...fields })),
};

/** What trusted in-process hosts (the CLI, tests) get on top of the contract. */
export interface StationEngine extends Engine {
  /** Who holds the data directory's lock: this engine (see station/engineLock). */
  readonly owner: OwnerRecord;
  /** Resolves with the final import record once the import has ended. */
  waitForImport(importId: string): Promise<ImportRecord>;
  /** Resolves when no derived-media job is pending or running. */
  whenJobsIdle(): Promise<void>;
  /** Account names and roles, for a trusted host choosing whom to sign in as. */
  accountNamesForSignIn(): Promise<{ name: string; role: Account['role'] }[]>;
  /** Absolute path of the read-only stored copy of an original. */
  storedPathOf(sha256: string): string;
  /** Store, database and custody chain agree (see checkStation); with progress, which the contract's `station.check` lacks. */
  check(opts: { rehash: boolean; onProgress?: (done: number, total: number) => void }): Promise<CheckReport>;
  /** An admin's decision on a file recovery moved to quarantine (listed by `check`), carried out. */
  resolveQuarantine(
    id: number,
    decision: QuarantineDecision,
    note: string,
    ctx: CallContext,
  ): Promise<QuarantineResolved>;
}

/** Output is re-validated outside production, so a handler that breaks the contract fails its tests. */
const CHECK_OUTPUT = process.env.NODE_ENV !== 'production';

/** Hosts trusted to call `auth: 'local'` methods without a session: run by the station's own OS user. */
const LOCAL_HOSTS: ReadonlySet<CallContext['via']> = new Set(['cli', 'test']);

/**
 * Where a copy of the station's records leaves it, the chain head is signed first, so the copy
 * carries a checkpoint that covers it; a sign-out closes a stretch of work with one.
 */
const CHECKPOINT_BEFORE: Partial<Record<MethodName, CheckpointReason>> = {
  'cases.seal': 'seal',
  // 'export' is signed by the export desk itself, which puts that checkpoint into the copy.
};
const CHECKPOINT_AFTER: Partial<Record<MethodName, CheckpointReason>> = { 'auth.signOut': 'signOut' };

/** The database and its WAL files, created now, are for the station's OS user alone. */
async function restrictDatabaseFiles(database: string): Promise<void> {
  for (const file of [database, `${database}-wal`, `${database}-shm`]) {
    await chmod(file, 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

async function prepareDataDir(root: string): Promise<void> {
  const layout = stationLayout(root);
  for (const dir of [layout.root, layout.evidenceDir, layout.derivedDir, layout.tmpDir, layout.logDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }
}

/**
 * Opens (or creates) a station's data directory and returns the engine every host drives.
 * Recovery after a crash runs before the engine answers its first call.
 */
export async function createEngine(opts: EngineOptions): Promise<StationEngine> {
  const now = opts.now ?? (() => new Date());
  const layout = stationLayout(opts.dataDir);
  await prepareDataDir(layout.root);
  // Before anything reads or repairs the directory: recovery must never run beside another owner.
  const lock: EngineLock = await acquireEngineLock(
    layout.root,
    { since: stationTimestamp(now()), socketPath: engineSocketPath(layout.root), version: packageJson.version },
    opts.sqliteNativeBinding ? { nativeBinding: opts.sqliteNativeBinding } : {},
  );
  try {
    return await openLockedEngine(opts, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Whether anything was ever signed here (a chain checkpoint, a sealed version), or the chain records
 * a key (`key.create`): then the key must exist, and a missing one is not silently replaced.
 */
function stationHasSigned(db: WritableDB): boolean {
  const row = db
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM custody_checkpoints) OR EXISTS (SELECT 1 FROM case_versions)
         OR EXISTS (SELECT 1 FROM custody WHERE action = 'key.create') AS signed`,
    )
    .get() as { signed: number };
  return row.signed === 1;
}

async function openLockedEngine(opts: EngineOptions, lock: EngineLock): Promise<StationEngine> {
  const hostLog = opts.log ?? consoleLogger;
  const now = opts.now ?? (() => new Date());
  const layout = stationLayout(opts.dataDir);
  const log = teeToLogFile(hostLog, layout.logDir, now);
  const databaseExisted = await stat(layout.database).then(
    () => true,
    () => false,
  );
  const db: WritableDB = openDatabase(layout.database, { nativeBinding: opts.sqliteNativeBinding });
  if (!databaseExisted) await restrictDatabaseFiles(layout.database);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    await log.close();
    throw error;
  }
  const stationId = ensureStationId(db);
  // The key is made at the first start of a station that has none; its private half stays locked
  // until something is signed, so a station whose passphrase is not set still opens.
  let stationKey;
  const keyWasThere = await stat(keyPaths(layout.root).record).then(
    () => true,
    () => false,
  );
  try {
    stationKey = await ensureStationKey(
      layout.root,
      { protector: opts.keyProtector, passphrase: opts.keyPassphrase ?? process.env[PASSPHRASE_ENV] },
      now(),
      stationHasSigned(db),
    );
  } catch (error) {
    db.close();
    await log.close();
    throw error;
  }
  if (opts.keyProtector && stationKey.protection !== 'safeStorage') {
    // Said once per start: a desktop station whose key the OS keychain does not protect.
    log.info('the station key is not protected by the OS keychain here', { protection: stationKey.protection });
  }
  let settings: Settings = readSettings(db);
  // Checkpoints are signed with the station key (tests may hand in another signer).
  const chainSigner = opts.chainSigner ?? stationKey;
  const checkpoints = new Checkpointer({
    db,
    file: layout.checkpoint,
    stationId,
    now,
    log,
    signer: () => chainSigner,
  });
  const head = new ChainHeadWriter({
    db,
    file: layout.chainHead,
    log,
    now,
    onWritten: (written) => checkpoints.noteHead(written),
  });
  // Every append, from any module, goes through this one guard (custody/guardedAppend.ts).
  const append = guardedAppender(db, head);
  // Before anything appends (recovery may): the head file as found against the database.
  await head.writeNow();

  await recoverDataDir({ db, layout, log, now, station: settings.stationName, append });
  // What an interrupted seal left in packages/: its temp folder goes, anything else is quarantined.
  await mkdir(packagesDir(layout), { recursive: true, mode: 0o700 });
  await recoverPackagesDir({ db, layout, log, now, station: settings.stationName, append });
  // An export the last process did not live to record: its start is closed as interrupted.
  await closeInterruptedExports({ db, log, now, station: settings.stationName, append });
  await head.writeNow();
  // A station starts with the default violation catalogue; a broken catalogue file stops the start.
  try {
    const installed = await installDefaultTaxonomy(db, {
      resourcesDir: opts.resourcesDir ?? defaultResourcesDir(),
      at: stationTimestamp(now()),
      station: settings.stationName,
      append,
    });
    if (installed) head.schedule();
  } catch (error) {
    db.close();
    await log.close();
    throw error;
  }
  // After the catalogue, so a new station's first entry stays the catalogue's install.
  try {
    await recordKeyCreation(db, stationKey, {
      dataDir: layout.root,
      at: stationTimestamp(now()),
      station: settings.stationName,
      append,
      keyWasThere,
    });
    head.schedule();
  } catch (error) {
    db.close();
    await log.close();
    throw error;
  }

  let tools: MediaTools;
  try {
    tools = await resolveMediaTools({
      ffmpegPath: opts.ffmpegPath,
      ffprobePath: opts.ffprobePath,
      bundledDir: opts.mediaBundledDir,
      // The npm fallback or a mismatched pair is logged as a warning (and shown in the status bar).
      log,
    });
  } catch (error) {
    log.error('no media tools', { error: String(error) });
    db.close();
    await log.close();
    throw error;
  }
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>): void => {
    bus.emit(event, payload);
  };

  const sessions = new SessionRegistry({
    now,
    lockAfterMs: () => settings.lockAfterMinutes * 60_000,
    lifetimeMs: () => settings.sessionHours * 3_600_000,
    readAccount: (name) => findAccount(db, name),
  });
  const derived = new DerivedRunner({
    db,
    layout,
    tools,
    log,
    now,
    onChange: (counts, itemId) => {
      emit('jobs.changed', counts);
      emit('library.changed', { itemIds: [itemId] });
    },
  });
  const imports = new ImportManager({
    db,
    layout,
    tools,
    log,
    now,
    station: () => settings.stationName,
    patterns: () => settings.fileNamePatterns,
    emitProgress: (p) => emit('import.progress', p),
    emitFileDone: (p) => {
      emit('import.fileDone', p);
      if (p.result.itemId) {
        emit('library.changed', { itemIds: [p.result.itemId] });
        if (opts.runJobs !== false) derived.kick();
      }
    },
    emitFinished: (record) => {
      const { files: _files, ...rest } = record;
      emit('import.finished', { importId: record.id, record: rest });
    },
    append,
    onItemsAdded: () => undefined,
    ...(opts.testHooks?.beforeVerify ? { beforeVerify: opts.testHooks.beforeVerify } : {}),
    ...(opts.testHooks?.afterScan ? { afterScan: opts.testHooks.afterScan } : {}),
    warm: opts.warmImport !== false,
  });

  const record: Services['record'] = (entry) =>
    append({ ...entry, at: stationTimestamp(now()), station: settings.stationName });

  const services: Services = {
    db,
    layout,
    log,
    now,
    version: packageJson.version,
    stationId,
    mediaTools: tools,
    sessions,
    gate: new PasswordGate({ db, now, log, record }),
    imports,
    hostImportRoots: opts.importRoots ?? [],
    derived,
    head,
    stationKey,
    checkpoints,
    chainSigner: () => chainSigner,
    async checkStation(checkOpts) {
      await head.idle();
      const hasher = new HashCopier();
      try {
        return await checkStation({
          db,
          layout,
          hasher,
          ...checkOpts,
          checkpoints: await checkpointVerdict(services),
          approvalKey: { publicKeyPem: stationKey.publicKeyPem, fingerprint: stationKey.fingerprint },
          inFlight: () => inFlightWork(db, layout),
        });
      } finally {
        await hasher.close();
      }
    },
    settings: () => settings,
    saveSettings: (next) => {
      writeSettings(db, next);
      settings = next;
    },
    emit,
    record,
  };

  const review = new ReviewDesk({
    db,
    layout,
    tools,
    log,
    now,
    record: services.record,
    emit,
    kickJobs: () => {
      if (opts.runJobs !== false) derived.kick();
    },
  });

  const reports = new ReportWorkerHost();
  if (opts.warmReport) reports.prestart();
  const sealDesk = new SealDesk({ services, renderReport: reports.render, ffmpegVersion: tools.ffmpeg.version });
  const exportDesk = new ExportDesk(services, exportBag);
  // Uploads in the background where the engine lives on (the app, `serve`); a command's engine
  // syncs only when asked (`sync`).
  const sync = new SyncWorker(services, { background: opts.runJobs !== false, ...opts.sync });

  const handlers: Handlers = {
    ...stationHandlers(services),
    ...authHandlers(services),
    ...accountHandlers(services),
    ...importHandlers(services),
    ...libraryHandlers(services),
    ...jobsHandlers(services, () => {
      if (opts.runJobs !== false) derived.kick();
    }),
    ...batchHandlers(services),
    ...taxonomyHandlers(services),
    ...tagHandlers(services),
    ...caseHandlers(services),
    ...reviewHandlers(review),
    ...sealHandlers(services, sealDesk),
    ...approvalHandlers(services),
    ...exportHandlers(services, exportDesk),
    ...keyHandlers(services),
    ...custodyHandlers(services),
    ...syncHandlers(services, sync),
  };

  if (opts.runJobs !== false) derived.kick();
  // An approval on an enrolled station is queued by the next pass: ask for one now.
  bus.on('cases.changed', () => sync.nudge());
  sync.start();

  let closed = false;

  const resolveCall = (method: MethodName, ctx: CallContext): HandlerCall => {
    const spec = contract[method];
    const client = ctx.client ?? ctx.via;
    if (spec.auth === 'none') {
      return { account: null, sessionId: ctx.sessionId, via: ctx.via, client };
    }
    if (spec.auth === 'local' && ctx.sessionId === null && LOCAL_HOSTS.has(ctx.via)) {
      return { account: null, sessionId: null, via: ctx.via, client };
    }
    // The account as the database has it now: a role changed or an account disabled since the
    // session began counts from this call on.
    const account = sessions.touch(ctx.sessionId);
    if ('role' in spec && spec.role === 'admin' && account.role !== 'admin') {
      throw new AppError('auth.forbidden', { method });
    }
    return { account, sessionId: ctx.sessionId, via: ctx.via, client };
  };

  /** Items the caller's user opened in this session: the only ones it may stream as a view. */
  const noteOpened = (method: MethodName, input: unknown, output: unknown, sessionId: string | null): void => {
    const idOf = (value: unknown, key: string): string | null => {
      const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : null;
      return typeof v === 'string' ? v : null;
    };
    let itemId: string | null = null;
    if (method === 'review.open') itemId = idOf(input, 'itemId');
    else if (method === 'items.get') itemId = idOf(input, 'id');
    else if (method === 'clips.create' || method === 'stills.create') {
      itemId = idOf(typeof output === 'object' && output !== null ? (output as { item?: unknown }).item : null, 'id');
    }
    if (itemId) sessions.noteOpened(sessionId, itemId);
  };

  const engine: StationEngine = {
    dataDir: layout.root,
    owner: lock.owner,
    async call<M extends MethodName>(method: M, rawInput: unknown, ctx: CallContext): Promise<MethodOutput<M>> {
      if (closed) throw new AppError('internal');
      if (!isMethodName(method)) throw new AppError('method.unknown', { method: String(method) });
      const spec = contract[method];
      const parsed = spec.input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('input.invalid', {
          field: issue?.path.join('.') ?? '',
          problem: issue?.message ?? 'invalid',
        });
      }
      const call = resolveCall(method, ctx);
      const handler = handlers[method] as (input: unknown, call: HandlerCall) => unknown;
      const before = CHECKPOINT_BEFORE[method];
      if (before) await checkpoints.checkpoint(before);
      const output = await handler(parsed.data, call);
      const after = CHECKPOINT_AFTER[method];
      if (after) {
        // The sign-out's own entry is committed; its head write comes first, then the signature.
        await head.flush();
        await checkpoints.checkpoint(after);
      }
      noteOpened(method, parsed.data, output, ctx.sessionId);
      if (CHECK_OUTPUT) {
        const checked = spec.output.safeParse(output);
        if (!checked.success) {
          log.error('a handler broke the contract', { method, issues: JSON.stringify(checked.error.issues) });
          throw new AppError('internal');
        }
      }
      return output as MethodOutput<M>;
    },
    on(event, listener) {
      bus.on(event, listener);
      return () => bus.off(event, listener);
    },
    async openMedia(itemId, variant, ctx, part): Promise<MediaFile> {
      const account = sessions.touch(ctx.sessionId);
      const row = getItemRow(db, itemId);
      if (!row) throw new AppError('media.notFound', { itemId });
      // Only a filmstrip has parts (its sheets).
      if (part !== undefined && variant !== 'filmstrip') throw new AppError('media.notFound', { itemId, variant });
      // Streaming the evidence itself (or its proxy) is a view, wherever it is watched.
      const viewed = (file: MediaFile): MediaFile => {
        // A screen left open from an earlier session (another user's review) must not stream the
        // evidence, and log a view, under the account that signed in after it.
        if (!sessions.hasOpened(ctx.sessionId, itemId)) throw new AppError('media.notOpened', { itemId });
        review.noteMediaOpened(itemId, variant, account.name, ctx.via);
        return file;
      };
      const original = (): MediaFile => ({
        path: evidencePath(layout, row.sha256),
        mimeType: mimeTypeOf(row),
        size: row.size,
      });
      const fromDerived = async (v: 'thumbnail' | 'proxy', mimeType: string): Promise<MediaFile> => {
        const file = derivedFile(db, itemId, v);
        if (!file) throw new AppError('media.notFound', { itemId, variant: v });
        const path = join(layout.derivedDir, file);
        const info = await stat(path).catch(() => null);
        if (!info) throw new AppError('media.notFound', { itemId, variant: v });
        return { path, mimeType, size: info.size };
      };
      switch (variant) {
        case 'original':
          return viewed(original());
        case 'thumbnail':
          return fromDerived('thumbnail', 'image/jpeg');
        case 'filmstrip': {
          // One sheet of keyframe tiles; `part` says which (the first when absent).
          const sheet = filmstripSheetPath(db, layout, itemId, part ?? 0);
          const info = sheet ? await stat(sheet).catch(() => null) : null;
          if (!sheet || !info) throw new AppError('media.notFound', { itemId, variant });
          return { path: sheet, mimeType: 'image/jpeg', size: info.size };
        }
        case 'play': {
          const media = JSON.parse(row.media) as { browserPlayable?: boolean; kind?: string };
          // A photo's proxy is its JPEG preview (a HEIC's, decoded by libheif); a recording's is an MP4.
          const proxyType = media.kind === 'photo' ? 'image/jpeg' : 'video/mp4';
          return viewed(media.browserPlayable ? original() : await fromDerived('proxy', proxyType));
        }
      }
    },
    activeAccount: (sessionId) => sessions.active(sessionId),
    waitForImport: (id) => imports.wait(id),
    storedPathOf: (sha256) => evidencePath(layout, sha256),
    accountNamesForSignIn: async () => listAccounts(db).map((a) => ({ name: a.name, role: a.role })),
    check: (checkOpts) => services.checkStation(checkOpts),
    whenJobsIdle: () => derived.whenIdle(),
    async resolveQuarantine(id, decision, note, ctx) {
      const account = sessions.touch(ctx.sessionId);
      if (account.role !== 'admin') throw new AppError('auth.forbidden', { method: 'resolveQuarantine' });
      const hasher = new HashCopier();
      try {
        return await resolveQuarantined({
          db,
          append,
          layout,
          hasher,
          id,
          decision,
          note,
          actor: account.name,
          station: settings.stationName,
          now: () => stationTimestamp(now()),
        });
      } finally {
        await hasher.close();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // Clips and stills are aborted at once; they remove their temp files while imports close.
      const reviewClosed = review.close();
      await imports.close();
      await reviewClosed;
      // The report worker too: a seal waiting for its report then fails at once instead of waiting.
      await Promise.all([sealDesk.close(), exportDesk.close(), reports.close(), sync.close()]);
      await derived.stop();
      abortAllProcesses();
      await head.flush();
      await checkpoints.settled();
      bus.removeAllListeners();
      db.close();
      await log.close();
      await lock.release();
    },
  };
  return engine;
}
