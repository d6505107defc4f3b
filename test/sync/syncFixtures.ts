import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { CLI_PASSWORD } from '../engine/cliRunner';
import { importedItem, openStation, type StationOptions, type TestStation } from '../engine/harness';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * What the sync tests share: a real station with a sealed and approved case (a reviewer-free
 * path: the admin seals, a supervisor who never touched it approves), and the real central server
 * as a process on loopback with its own data folder (PGlite), from which enrolment codes are made.
 */

export interface SyncStation extends TestStation {
  /** Calls as the supervisor `li` (approves what the admin sealed). */
  asSupervisor<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
}

export async function openSyncStation(opts: StationOptions = {}): Promise<SyncStation> {
  const station = await openStation(opts);
  await station.call('accounts.create', { name: 'li', password: CLI_PASSWORD, role: 'supervisor' });
  let li = (await station.call('auth.signIn', { name: 'li', password: CLI_PASSWORD }, null)).sessionId;
  return Object.assign(station, {
    async asSupervisor<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      try {
        return await station.call(method, input, li);
      } catch (error) {
        // The station was reopened since: sign in again.
        if ((error as { code?: string }).code !== 'auth.required') throw error;
        li = (await station.call('auth.signIn', { name: 'li', password: CLI_PASSWORD }, null)).sessionId;
        return station.call(method, input, li);
      }
    },
  });
}

/** Random bytes in a file (never compressible, never already on a server): evidence of `bytes` size. */
export async function makeEvidenceFile(dir: string, name: string, bytes: number): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  const chunk = 1024 * 1024;
  const parts: Buffer[] = [];
  for (let done = 0; done < bytes; done += chunk) parts.push(randomBytes(Math.min(chunk, bytes - done)));
  await writeFile(path, Buffer.concat(parts));
  return path;
}

/** Imports `files` (any kind), then seals and approves a case of them (`approvedCaseOf`). */
export async function sealedApprovedCase(station: SyncStation, title: string, files: string[]): Promise<ApprovedCase> {
  const record = await station.importAndWait(files, { includeNonMedia: true });
  return approvedCaseOf(
    station,
    title,
    files.map((f) => importedItem(record, f.split('/').pop()!).id),
  );
}

export interface ApprovedCase {
  caseId: string;
  number: string;
  version: number;
  tagManifestSha256: string;
  itemIds: string[];
}

/** A new case of `itemIds`, sealed by the admin and approved by the supervisor `li`. */
export async function approvedCaseOf(station: SyncStation, title: string, itemIds: string[]): Promise<ApprovedCase> {
  const c = await station.call('cases.create', { title, place: '南京东路' });
  await station.call('cases.addItems', { caseId: c.id, itemIds });
  const sealed = await station.call('cases.seal', { caseId: c.id });
  await station.asSupervisor('cases.approve', { caseId: c.id });
  return {
    caseId: c.id,
    number: sealed.case,
    version: sealed.version,
    tagManifestSha256: sealed.tagManifestSha256,
    itemIds,
  };
}

export interface CentralServer {
  dataDir: string;
  url: string;
  process: ServerProcess;
  /** A fresh one-time enrolment code (asks the running server). */
  enrolCode(): Promise<string>;
  /** Stops the process (SIGTERM); `start` again keeps the data folder. */
  stop(): Promise<void>;
  start(extraArgs?: string[]): Promise<void>;
  run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  cleanup(): Promise<void>;
}

export async function startCentralServer(): Promise<CentralServer> {
  const dataDir = await makeTempDir('central');
  const env = { DATABASE_URL: '' };
  let proc = await startServerProcess(dataDir, env);
  const server: CentralServer = {
    dataDir,
    get url() {
      return proc.url;
    },
    get process() {
      return proc;
    },
    async enrolCode() {
      const r = await runServerCommand(['enrol-code', '--data', dataDir], env);
      if (r.code !== 0) throw new Error(`enrol-code failed: ${r.stderr}`);
      return r.stdout.trim().split('\n').pop()!;
    },
    async stop() {
      await proc.stop();
    },
    async start(extraArgs) {
      proc = await startServerProcess(dataDir, env, extraArgs ?? ['--port', String(new URL(proc.url).port)]);
    },
    run: (args) => runServerCommand([...args, '--data', dataDir], env),
    async cleanup() {
      await proc.stop().catch(() => undefined);
      await removeTree(dataDir);
    },
  };
  return server;
}
