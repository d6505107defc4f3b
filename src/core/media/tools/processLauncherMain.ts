// Type-only imports: erased at compile time, so the function below still refers to nothing outside itself.
import type * as ChildProcesses from 'node:child_process';
import type { LauncherReply, LauncherRequest } from './launcherProtocol';
import { evalWorkerSource } from '../../workers/evalWorkerSource';

/**
 * The process launcher's whole program, run as `node -e <source>` with no loader (as the eval
 * workers are), so it may use only Node's own modules and what it defines inside itself.
 *
 * It starts the media tools the engine asks for and relays their output and exit. Starting a
 * process from Node on Linux forks the whole caller: from the engine (hundreds of MiB mapped,
 * SQLite, worker threads) that fork held the engine's event loop for tens of milliseconds per
 * ffprobe; from this small process it costs a fraction of that. The engine starts it bound to
 * its own death, and it starts every tool bound to its own (`setpriv --pdeathsig` in the argv
 * the engine sends), so a SIGKILLed engine still takes its tools with it. When the engine goes
 * in an orderly way its channel closes and every tool still running is killed here.
 */
export function processLauncherMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { spawn } = require('node:child_process') as typeof ChildProcesses;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const children = new Map<number, ChildProcesses.ChildProcess>();
  const send = (reply: LauncherReply): void => {
    if (process.connected) process.send!(reply);
  };

  const start = (req: Extract<LauncherRequest, { op: 'spawn' }>): void => {
    let child: ChildProcesses.ChildProcess;
    try {
      child = spawn(req.file, req.argv, { stdio: ['ignore', 'pipe', 'pipe'], env: req.env });
    } catch (error) {
      send({ id: req.id, type: 'error', message: (error as Error).message, code: null });
      send({ id: req.id, type: 'close', code: null, signal: null });
      return;
    }
    children.set(req.id, child);
    child.stdout!.on('data', (data: Buffer) => send({ id: req.id, type: 'stdout', data }));
    child.stderr!.on('data', (data: Buffer) => send({ id: req.id, type: 'stderr', data }));
    child.on('error', (error: NodeJS.ErrnoException) =>
      send({ id: req.id, type: 'error', message: error.message, code: error.code ?? null }),
    );
    child.on('close', (code, signal) => {
      children.delete(req.id);
      send({ id: req.id, type: 'close', code, signal });
    });
  };

  process.on('message', (req: LauncherRequest) => {
    if (req.op === 'spawn') start(req);
    else children.get(req.id)?.kill(req.signal);
  });
  process.on('disconnect', () => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(0);
  });
}

/** The launcher's source text (see `evalWorkerSource`). */
export function processLauncherSource(): string {
  return evalWorkerSource(processLauncherMain);
}
