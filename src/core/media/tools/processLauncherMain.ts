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
  interface Running {
    child: ChildProcesses.ChildProcess;
    ownGroup: boolean;
    stopping: boolean;
  }
  const children = new Map<number, Running>();
  const releasePipes = (r: Running): void => {
    r.child.stdout?.destroy();
    r.child.stderr?.destroy();
  };
  // As the engine does for a tool it starts itself (`runProcess`): the whole group, then the pipes.
  const stop = (r: Running): void => {
    r.stopping = true;
    let killed = false;
    if (r.ownGroup && r.child.pid !== undefined) {
      try {
        process.kill(-r.child.pid, 'SIGKILL');
        killed = true;
      } catch {
        // The group is gone already; the tool itself may not be.
      }
    }
    if (!killed) r.child.kill('SIGKILL');
    if (r.child.exitCode !== null || r.child.signalCode !== null) releasePipes(r);
  };
  const send = (reply: LauncherReply): void => {
    if (process.connected) process.send!(reply);
  };

  const start = (req: Extract<LauncherRequest, { op: 'spawn' }>): void => {
    let child: ChildProcesses.ChildProcess;
    try {
      child = spawn(req.file, req.argv, { stdio: ['ignore', 'pipe', 'pipe'], env: req.env, detached: req.ownGroup });
    } catch (error) {
      send({ id: req.id, type: 'error', message: (error as Error).message, code: null });
      send({ id: req.id, type: 'close', code: null, signal: null });
      return;
    }
    const running: Running = { child, ownGroup: req.ownGroup, stopping: false };
    children.set(req.id, running);
    child.on('exit', () => {
      if (running.stopping) releasePipes(running);
    });
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
    else {
      const running = children.get(req.id);
      if (running) stop(running);
    }
  });
  process.on('disconnect', () => {
    for (const running of children.values()) stop(running);
    process.exit(0);
  });
}

/** The launcher's source text (see `evalWorkerSource`). */
export function processLauncherSource(): string {
  return evalWorkerSource(processLauncherMain);
}
