import { createEngine } from '../engine';
import type { Logger } from '../engineApi';
import { AppError } from '../../shared/errors';
import { EngineProcessOptions } from './engineProcessOptions';
import { serveEngine } from './socketServer';
import { ChannelKeyProtector, type KeyPort } from '../keys/keyProtectorChannel';

/**
 * The engine process: takes the data directory's lock, opens the engine (recovery included) and
 * serves it to hosts over the station's socket. Started by the web host (a child process) and by
 * the desktop app (an Electron utility process); it ends when its parent goes (stdin closes, or
 * Electron's parent port closes) or on SIGTERM/SIGINT, closing the engine cleanly.
 */

const log: Logger = {
  info: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'info', message, ...fields })}\n`),
  warn: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', message, ...fields })}\n`),
  error: (message, fields) => process.stderr.write(`${JSON.stringify({ level: 'error', message, ...fields })}\n`),
};

/** Electron's utility process gets `process.parentPort`; a plain Node child does not. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'close', listener: () => void): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  off(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

/**
 * The port to the parent that holds the OS keychain: Electron's parent port, or the IPC channel of
 * a Node parent that forked this process with one (the same message shapes). None otherwise.
 */
function keyPort(): KeyPort | null {
  if (parentPort) {
    const port = parentPort;
    return {
      postMessage: (message) => port.postMessage(message),
      onMessage(listener) {
        const onEvent = (event: { data: unknown }): void => listener(event.data);
        port.on('message', onEvent);
        return () => port.off('message', onEvent);
      },
    };
  }
  if (!process.send) return null;
  return {
    postMessage: (message) => process.send?.(message),
    onMessage(listener) {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}

function tell(message: object): void {
  if (parentPort) parentPort.postMessage(message);
  else process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function main(): Promise<void> {
  const options = EngineProcessOptions.parse(JSON.parse(process.argv[2] ?? '{}'));
  const { keyProtectorChannel, ...engineOptions } = options;
  const port = keyProtectorChannel ? keyPort() : null;
  if (keyProtectorChannel && !port) log.warn('engine: asked to use the parent’s keychain, but no parent port is open');
  const keyProtector = port ? new ChannelKeyProtector(port) : undefined;
  let engine;
  try {
    engine = await createEngine({ ...engineOptions, log, ...(keyProtector ? { keyProtector } : {}) });
  } catch (error) {
    if (error instanceof AppError) tell({ failed: { code: error.code, params: error.params } });
    throw error;
  }
  const server = await serveEngine(engine, engine.owner.socketPath, log);
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    log.info('engine: stopping', { why });
    void server
      .destroy()
      .then(() => engine.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error('engine: close failed', { error: String(error) });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  if (parentPort) parentPort.on('close', () => stop('the app closed'));
  else {
    process.stdin.on('end', () => stop('the host closed'));
    process.stdin.on('error', () => stop('the host closed'));
    process.stdin.resume();
  }
  tell({ ready: server.socketPath });
}

main().catch((error: unknown) => {
  log.error('engine: could not start', {
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
});
