import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type StationEngine } from '../../src/core/engine';
import type { CallContext, EngineOptions, Logger } from '../../src/core/engineApi';
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import type { ImportRecord, Session } from '../../src/shared/schemas';

/**
 * One station per test, on real files in a temp directory: the real engine with SQLite, the
 * hashing worker and ffprobe. Derived-media jobs are off unless a test turns them on, so tests
 * do not wait for thumbnails they never look at.
 */

export const ADMIN = { name: 'admin', password: 'correct horse battery' } as const;

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps lines for assertions instead of printing them. */
export function quietLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
  };
}

/** A temp folder that `cleanup` removes, read-only stored copies included. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `station-${prefix}-`));
}

/** Makes everything below `dir` writable again, then removes it: the store's copies are 0444. */
export async function removeTree(dir: string): Promise<void> {
  const makeWritable = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => null);
    if (!info || info.isSymbolicLink()) return;
    await chmod(path, info.isDirectory() ? 0o700 : 0o600).catch(() => undefined);
    if (info.isDirectory()) {
      for (const name of await readdir(path).catch(() => [] as string[])) await makeWritable(join(path, name));
    }
  };
  await makeWritable(dir);
  await rm(dir, { recursive: true, force: true });
}

export interface TestStation {
  /** Temp root holding `data/` and anything else the test makes (sources, …). */
  root: string;
  dataDir: string;
  engine: StationEngine;
  log: ReturnType<typeof quietLogger>;
  /** The admin's session; `call` uses it unless told otherwise. */
  session: Session;
  ctx: CallContext;
  call<M extends MethodName>(method: M, input: MethodInput<M>, sessionId?: string | null): Promise<MethodOutput<M>>;
  /** Starts an import as the admin and resolves with its final record. */
  importAndWait(paths: string[], opts?: { includeNonMedia?: boolean }): Promise<ImportRecord>;
  /** Closes the engine (and reopens one on the same data dir when asked). */
  reopen(extra?: Partial<EngineOptions>): Promise<StationEngine>;
  cleanup(): Promise<void>;
}

export interface StationOptions extends Partial<Omit<EngineOptions, 'dataDir'>> {
  /** Skip the admin setup, for tests of the setup itself. */
  noAdmin?: boolean;
  /** Use this data dir instead of `<root>/data` (a mounted tmpfs, for instance). */
  dataDir?: string;
}

/** A fresh station in its own temp dir, with the admin set up and signed in. */
export async function openStation(opts: StationOptions = {}): Promise<TestStation> {
  const root = await makeTempDir('engine');
  const dataDir = opts.dataDir ?? join(root, 'data');
  const log = quietLogger();
  const { noAdmin, dataDir: _dataDir, ...engineOpts } = opts;
  const engineOptions: EngineOptions = { runJobs: false, log, ...engineOpts, dataDir };
  let engine = await createEngine(engineOptions);
  const station: TestStation = {
    root,
    dataDir,
    engine,
    log,
    session: null as unknown as Session,
    ctx: { sessionId: null, via: 'test' },
    call(method, input, sessionId) {
      return station.engine.call(method, input, {
        sessionId: sessionId === undefined ? station.ctx.sessionId : sessionId,
        via: 'test',
      });
    },
    async importAndWait(paths, importOpts = {}) {
      const { importId } = await station.call('import.start', {
        paths,
        includeNonMedia: importOpts.includeNonMedia ?? false,
      });
      return station.engine.waitForImport(importId);
    },
    async reopen(extra = {}) {
      await station.engine.close();
      engine = await createEngine({ ...engineOptions, ...extra });
      station.engine = engine;
      if (!noAdmin) await signInAdmin(station);
      return engine;
    },
    async cleanup() {
      await station.engine.close();
      await removeTree(root);
    },
  };
  if (!noAdmin) {
    station.session = await engine.call('auth.setupAdmin', ADMIN, station.ctx);
    station.ctx = { sessionId: station.session.sessionId, via: 'test' };
  }
  return station;
}

async function signInAdmin(station: TestStation): Promise<void> {
  station.session = await station.engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
  station.ctx = { sessionId: station.session.sessionId, via: 'test' };
}

/** SHA-256 of a file, computed here with node:crypto, independently of the station's worker. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** The item an import made of the file whose path ends in `name`, with the hash the import recorded. */
export function importedItem(record: ImportRecord, name: string): { id: string; sha256: string } {
  const file = record.files.find((f) => f.relativePath.endsWith(name));
  if (!file?.itemId || !file.sha256) throw new Error(`the import made no item of ${name}`);
  return { id: file.itemId, sha256: file.sha256 };
}

/** The error code a promise rejects with, or `resolved` / a description of a non-AppError. */
export function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : `not an AppError: ${String(error)}`),
  );
}

/** The code and parameters an expected refusal carries; throws when the promise resolves or fails otherwise. */
export async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; params: unknown }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, params: error.params };
    throw error;
  }
  throw new Error('expected a refusal');
}

/**
 * A file of `bytes` zeros that takes no disk space: reading it is fast, which lets a test have an
 * import in progress long enough to interrupt it without a wall-clock wait.
 */
export async function makeSparseFile(path: string, bytes: number): Promise<string> {
  await writeFile(path, '');
  await truncate(path, bytes);
  return path;
}

/** Sparse files differ only in a leading marker, so no two are duplicates of each other. */
export async function makeSparseFiles(dir: string, count: number, bytes: number, ext = 'mp4'): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `big-${String(i).padStart(2, '0')}.${ext}`);
    await writeFile(path, `sparse file ${i}\n`);
    await truncate(path, bytes);
    out.push(path);
  }
  return out;
}

/** Names of the files directly in `dir`; empty when it does not exist. */
export async function listNames(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort();
}

/** Every file below the evidence store, as `sha256` names. */
export async function listStoredShas(dataDir: string): Promise<string[]> {
  const base = join(dataDir, 'evidence', 'sha256');
  const out: string[] = [];
  for (const a of await listNames(base)) {
    for (const b of await listNames(join(base, a))) out.push(...(await listNames(join(base, a, b))));
  }
  return out.sort();
}

/** Resolves with the first event payload that satisfies `match`, then stops listening. */
export function nextEvent<E extends EventName>(
  engine: StationEngine,
  event: E,
  match: (payload: EventPayload<E>) => boolean,
): Promise<EventPayload<E>> {
  return new Promise((resolve) => {
    const off = engine.on(event, (payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}
