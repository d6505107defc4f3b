import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { LauncherReply, LauncherRequest } from './launcherProtocol';
import { processLauncherSource } from './processLauncherMain';

/**
 * What `runProcess` needs of a started process, whether started from the engine or by the launcher
 * on its behalf.
 */
export interface StartedProcess {
  readonly stdout: EventEmitter | null;
  readonly stderr: EventEmitter | null;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  /** SIGKILLs the tool (its process group, when it leads one) and stops waiting for its output once it is dead. */
  stop(): void;
}

/** A process the launcher runs: its output and exit, as a `ChildProcess` would report them. */
class LaunchedProcess extends EventEmitter implements StartedProcess {
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  private closed = false;

  constructor(private readonly killer: () => void) {
    super();
  }

  stop(): void {
    if (!this.closed) this.killer();
  }

  deliver(reply: LauncherReply): void {
    if (this.closed) return;
    switch (reply.type) {
      case 'stdout':
      case 'stderr':
        this[reply.type].emit('data', Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength));
        return;
      case 'error': {
        const error: NodeJS.ErrnoException = new Error(reply.message);
        if (reply.code) error.code = reply.code;
        this.emit('error', error);
        return;
      }
      case 'close':
        this.closed = true;
        this.emit('close', reply.code, reply.signal);
        return;
    }
  }
}

/**
 * Starts short media tools (ffprobe) from a small long-lived Node process instead of the engine.
 * On Linux, Node starts a process by forking its caller, and the engine's fork (its whole address
 * space, several hundred MiB under an import) held its event loop for tens of milliseconds per
 * probe, time in which no copy was handed on and no commit written; the launcher's fork is small
 * (bench figure 2 has the numbers). The launcher is started once, on first use, and again after
 * it has gone; it never keeps the engine alive while idle. A process it was running when it went
 * fails as one that could not be started (`error`, then `close`), never as a tool's own failure,
 * so no file is ever called undecodable because of it.
 */
export class ProcessLauncher {
  private child: ChildProcess | null = null;
  private readonly running = new Map<number, LaunchedProcess>();
  private nextId = 1;

  /**
   * @param command How to start the launcher (`node -e <source>`, death-bound by the caller).
   */
  constructor(private readonly command: (source: string) => { file: string; argv: string[] }) {}

  /** `ownGroup`: the tool leads a process group of its own, which `stop` kills whole. */
  start(file: string, argv: readonly string[], env: NodeJS.ProcessEnv, ownGroup: boolean): StartedProcess {
    const launcher = this.ensureLauncher();
    const id = this.nextId++;
    const proc = new LaunchedProcess(() => this.send(launcher, { op: 'stop', id }));
    this.running.set(id, proc);
    proc.once('close', () => {
      this.running.delete(id);
      if (this.running.size === 0) this.idle(launcher);
    });
    launcher.ref();
    launcher.channel?.ref();
    const cleanEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(env)) if (value !== undefined) cleanEnv[key] = value;
    this.send(launcher, { op: 'spawn', id, file, argv: [...argv], env: cleanEnv, ownGroup });
    return proc;
  }

  /** Starts the launcher ahead of its first tool, so that tool does not wait for Node to boot. */
  prestart(): void {
    const launcher = this.ensureLauncher();
    if (this.running.size === 0) this.idle(launcher);
  }

  /** Ends the launcher (its channel closes, and it kills whatever it still runs). */
  close(): void {
    const child = this.child;
    this.child = null;
    if (!child) return;
    this.lost(new Error('the process launcher was closed'));
    child.kill('SIGKILL');
  }

  private send(launcher: ChildProcess, req: LauncherRequest): void {
    if (launcher !== this.child || !launcher.connected) return;
    launcher.send(req, (error) => {
      if (error && launcher === this.child) this.lost(error);
    });
  }

  private idle(launcher: ChildProcess): void {
    launcher.unref();
    launcher.channel?.unref();
  }

  private ensureLauncher(): ChildProcess {
    if (this.child) return this.child;
    const { file, argv } = this.command(processLauncherSource());
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The source needs no loader; a development loader (`--import tsx`) would only slow its start.
    delete env.NODE_OPTIONS;
    const child = spawn(file, argv, {
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'advanced',
      windowsHide: true,
      env,
    });
    this.child = child;
    child.on('message', (reply: LauncherReply) => this.running.get(reply.id)?.deliver(reply));
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = null;
      this.lost(new Error(why));
    };
    child.on('error', (error) => gone(`the process launcher failed: ${error.message}`));
    child.on('exit', (code, signal) => gone(`the process launcher stopped (${code ?? signal})`));
    child.on('disconnect', () => gone('the process launcher stopped'));
    return child;
  }

  /** Fails every process the launcher was running; they are gone with it or are being killed. */
  private lost(error: Error): void {
    const procs = [...this.running.values()];
    this.running.clear();
    for (const proc of procs) {
      proc.deliver({ id: 0, type: 'error', message: error.message, code: null });
      proc.deliver({ id: 0, type: 'close', code: null, signal: 'SIGKILL' });
    }
  }
}
