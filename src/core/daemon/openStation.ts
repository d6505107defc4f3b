import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors';
import { createEngine, type StationEngine } from '../engine';
import type { CallContext, EngineOptions, Logger } from '../engineApi';
import { readOwnerRecord, inUseError } from '../station/engineLock';
import { EngineFailed, EngineReady, type EngineProcessOptions } from './engineProcessOptions';
import { RemoteEngine } from './remoteEngine';
import { sourceMapFlags } from '../workers/startWorker';
import { serveEngine } from './socketServer';
import { socketPathState } from './socketBlocker';
import { engineSocketPath } from './socketPath';

/** How long a host waits for an owner that holds the lock but does not answer yet (it is recovering). */
const DEFAULT_WAIT_MS = 120_000;
const RETRY_MS = 100;

/** The engine that owns `dataDir` now, if one answers on the socket its owner record names. */
export async function connectToOwner(dataDir: string, via: CallContext['via']): Promise<RemoteEngine | null> {
  const owner = await readOwnerRecord(dataDir);
  if (!owner) return null;
  try {
    return await RemoteEngine.connect(owner.socketPath, { expectDataDir: dataDir, expectPid: owner.pid, via });
  } catch {
    return null;
  }
}

/**
 * Opens a station for one host. When an engine owns the data directory, the host works through
 * it (a CLI import then runs in the app's or `serve`'s engine and shows up in its UI). Otherwise
 * the host starts one: in this process (`inProcess`, the CLI: it serves the socket too while the
 * command runs, so a second command works through it) or as a child process (the web host).
 * A start that loses the race for the lock connects to the winner once it answers.
 */
export async function openStationEngine(
  opts: EngineOptions & { via: CallContext['via']; inProcess: boolean; waitMs?: number },
): Promise<StationEngine> {
  const { via, inProcess, waitMs = DEFAULT_WAIT_MS, ...engineOptions } = opts;
  const dataDir = resolve(engineOptions.dataDir);
  const log = engineOptions.log;
  const deadline = Date.now() + waitMs;
  for (;;) {
    const remote = await connectToOwner(dataDir, via);
    if (remote) {
      log?.info('working through the engine that owns this station', { pid: remote.owner.pid });
      return remote;
    }
    try {
      if (inProcess) return await startInProcess({ ...engineOptions, dataDir }, log);
      const child = await startEngineProcess({ ...processOptionsOf(engineOptions), dataDir }, via, log);
      if (child) return child;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'station.inUse')) throw error;
    }
    await refuseBlockedSocket(dataDir);
    if (Date.now() > deadline) throw inUseError(await readOwnerRecord(dataDir));
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

/**
 * An engine holds the lock but its socket's name holds something else (put there after it
 * started): no waiting makes it reachable, so say what is in the way instead of timing out.
 */
export async function refuseBlockedSocket(dataDir: string): Promise<void> {
  const owner = await readOwnerRecord(dataDir);
  const socketPath = owner?.socketPath ?? engineSocketPath(dataDir);
  const state = await socketPathState(socketPath);
  if (state === 'absent' || state === 'socket') return;
  throw new AppError('engine.socketBlocked', { path: socketPath, kind: state, pid: owner?.pid ?? '?' });
}

function processOptionsOf(o: EngineOptions): Omit<EngineProcessOptions, 'dataDir'> {
  const out: Omit<EngineProcessOptions, 'dataDir'> = {};
  if (o.runJobs !== undefined) out.runJobs = o.runJobs;
  if (o.ffmpegPath) out.ffmpegPath = o.ffmpegPath;
  if (o.ffprobePath) out.ffprobePath = o.ffprobePath;
  if (o.mediaBundledDir) out.mediaBundledDir = o.mediaBundledDir;
  if (o.sqliteNativeBinding) out.sqliteNativeBinding = o.sqliteNativeBinding;
  if (o.resourcesDir) out.resourcesDir = o.resourcesDir;
  if (o.importRoots) out.importRoots = o.importRoots;
  return out;
}

/**
 * The engine in this process, also served on the socket. Closing it waits until every other
 * process working through it has finished (their imports run here), then closes the engine.
 */
async function startInProcess(options: EngineOptions, log: Logger | undefined): Promise<StationEngine> {
  const engine = await createEngine(options);
  let server;
  try {
    server = await serveEngine(engine, engine.owner.socketPath, log ?? silent);
  } catch (error) {
    await engine.close();
    throw error;
  }
  const served = server;
  let closing: Promise<void> | undefined;
  return {
    ...engine,
    close() {
      closing ??= (async () => {
        const others = served.connections();
        if (others > 0) log?.info('waiting for the other processes working through this station', { count: others });
        await served.close();
        await engine.close();
      })();
      return closing;
    },
  };
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The engine process's entry: the TypeScript source from source (tsx, Vitest), its build beside the build. */
export const ENGINE_MAIN = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './engineMain.ts' : './engineMain.js', import.meta.url),
);

/**
 * Starts the engine as a child process of this host (the same Node and loader flags) and connects
 * to it. The child ends when this host's end of its stdin closes, so a killed host leaves no
 * engine behind. Resolves null when another owner took the lock first.
 */
export async function startEngineProcess(
  options: EngineProcessOptions,
  via: CallContext['via'],
  log: Logger | undefined,
  entry: string = ENGINE_MAIN,
): Promise<RemoteEngine | null> {
  const child = spawn(process.execPath, [...process.execArgv, ...sourceMapFlags(), entry, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const first = await new Promise<unknown>((resolveLine) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    const onData = (chunk: string): void => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl === -1) return;
      child.stdout.off('data', onData);
      try {
        resolveLine(JSON.parse(out.slice(0, nl)));
      } catch {
        resolveLine(null);
      }
    };
    child.stdout.on('data', onData);
    void exited.then(() => resolveLine(null));
  });
  // Its stdout is not needed after the first line; keep draining so it can never block.
  child.stdout.resume();
  const failed = EngineFailed.safeParse(first);
  if (failed.success) {
    await exited;
    if (failed.data.failed.code === 'station.inUse') return null;
    throw new AppError('engine.unreachable', { reason: `the engine process failed: ${failed.data.failed.code}` });
  }
  const ready = EngineReady.safeParse(first);
  if (!ready.success) throw new AppError('engine.unreachable', { reason: 'the engine process did not start' });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const remote = await RemoteEngine.connect(ready.data.ready, {
      expectDataDir: options.dataDir,
      expectPid: child.pid,
      via,
      onClose: stop,
    });
    log?.info('engine process started', { pid: child.pid, socket: ready.data.ready });
    return remote;
  } catch (error) {
    await stop();
    throw error;
  }
}
