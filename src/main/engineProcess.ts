import path from 'node:path';
import { utilityProcess } from 'electron';
import { connectToOwner, refuseBlockedSocket } from '../core/daemon/openStation';
import { EngineFailed, EngineReady, type EngineProcessOptions } from '../core/daemon/engineProcessOptions';
import { RemoteEngine } from '../core/daemon/remoteEngine';
import type { EngineOptions, Logger } from '../core/engineApi';
import { AppError } from '../shared/errors';
import { safeStorageEncryption } from './keyProtector';
import { serveKeyProtector } from './keyProtectorHost';

/**
 * The desktop app's engine runs in an Electron utility process (`out/main/engine.js`, built from
 * src/core/daemon/engineMain.ts), so SQLite and every synchronous commit stay off the main process
 * that drives the windows. Main talks to it over the station's socket, like every other host, through
 * a `RemoteEngine`. When an engine already owns the station (`serve`, a CLI command) the app works
 * through that one instead.
 */
export async function startDesktopEngine(options: EngineOptions, log: Logger): Promise<RemoteEngine> {
  const dataDir = path.resolve(options.dataDir);
  const existing = await connectToOwner(dataDir, 'ipc');
  if (existing) {
    log.info('working through the engine that owns this station', { pid: existing.owner.pid });
    return existing;
  }
  const processOptions: EngineProcessOptions = {
    dataDir,
    ...(options.runJobs === undefined ? {} : { runJobs: options.runJobs }),
    ...(options.mediaBundledDir ? { mediaBundledDir: options.mediaBundledDir } : {}),
    ...(options.resourcesDir ? { resourcesDir: options.resourcesDir } : {}),
    ...(options.sqliteNativeBinding ? { sqliteNativeBinding: options.sqliteNativeBinding } : {}),
    ...(options.ffmpegPath ? { ffmpegPath: options.ffmpegPath } : {}),
    ...(options.ffprobePath ? { ffprobePath: options.ffprobePath } : {}),
    // The OS keychain (safeStorage) lives in this process; the engine asks for it over its port.
    keyProtectorChannel: true,
  };
  const child = utilityProcess.fork(path.join(import.meta.dirname, 'engine.js'), [JSON.stringify(processOptions)], {
    serviceName: 'Evidence Station engine',
    stdio: 'inherit',
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code)));
  // Answers this child only: the listener sits on the port of the process forked just above.
  const stopKeyProtector = serveKeyProtector(child, safeStorageEncryption, log);
  void exited.then(stopKeyProtector);
  // The engine may ask for the keychain before it is ready: its first ready or failed message counts.
  const first = await new Promise<unknown>((resolve) => {
    const onMessage = (message: unknown): void => {
      if (!EngineReady.safeParse(message).success && !EngineFailed.safeParse(message).success) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    void exited.then(() => resolve(null));
  });
  const failed = EngineFailed.safeParse(first);
  if (failed.success && failed.data.failed.code === 'station.inUse') {
    // Another process took the station between our look and our start: work through it.
    const owner = await connectToOwner(dataDir, 'ipc');
    if (owner) return owner;
    await refuseBlockedSocket(dataDir);
  }
  const ready = EngineReady.safeParse(first);
  if (!ready.success) throw new AppError('engine.unreachable', { reason: 'the engine process did not start' });
  const stop = async (): Promise<void> => {
    // The engine closes cleanly on SIGTERM (imports aborted, database closed) and then exits.
    child.kill();
    await exited;
  };
  return RemoteEngine.connect(ready.data.ready, {
    expectDataDir: dataDir,
    ...(child.pid === undefined ? {} : { expectPid: child.pid }),
    via: 'ipc',
    onClose: stop,
  });
}
