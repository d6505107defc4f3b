import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Logger } from '../../engineApi';
import { ProcessLauncher, type StartedProcess } from './processLauncher';

/**
 * The one place media child processes (ffmpeg, ffprobe) are started. Every process is tracked so
 * `abortAllProcesses()` can end them on shutdown, is SIGKILLed on abort or timeout, keeps the tail
 * of its stderr for error messages, and is logged as a copyable shell line.
 */

export interface RunProcessOptions {
  signal?: AbortSignal;
  /** Kill the process when it runs longer than this. No timeout when absent. */
  timeoutMs?: number;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Keep stdout in the result (for ffprobe JSON). Off by default: ffmpeg output is streamed, never buffered. */
  collectStdout?: boolean;
  /** Cap on collected stdout; the process is killed and `ProcessOutputTooLargeError` thrown beyond it. */
  maxStdoutBytes?: number;
  log?: Logger;
  /**
   * Start it from the station's small process launcher instead of the engine (Linux under Node;
   * elsewhere ignored, see `launcherAvailable`). For short tools whose output is small (ffprobe): the engine's own fork is what it
   * saves, and output is relayed without back-pressure, so never for ffmpeg's streams.
   */
  viaLauncher?: boolean;
}

export interface ProcessResult {
  /** Collected stdout, or '' unless `collectStdout` was set. */
  stdout: string;
  /** The last lines of stderr (at most `STDERR_TAIL_LINES`). */
  stderrTail: string[];
}

export const STDERR_TAIL_LINES = 50;
const DEFAULT_MAX_STDOUT_BYTES = 16 * 1024 * 1024;

/** Base of every failure of a child process; carries what is needed to explain it in a log. */
export class ProcessError extends Error {
  constructor(
    message: string,
    readonly commandLine: string,
    readonly stderrTail: string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The process could not start or exited with a non-zero code or by a signal. */
export class ProcessFailedError extends ProcessError {
  constructor(
    commandLine: string,
    stderrTail: string[],
    readonly exitCode: number | null,
    readonly exitSignal: NodeJS.Signals | null,
    readonly spawnError?: Error,
  ) {
    const how = spawnError
      ? `could not start: ${spawnError.message}`
      : exitCode !== null
        ? `exited with code ${exitCode}`
        : `was killed by ${exitSignal ?? 'an unknown signal'}`;
    const last = stderrTail.at(-1);
    super(`${commandLine.split(' ')[0]} ${how}${last ? `: ${last}` : ''}`, commandLine, stderrTail);
  }
}

/** The caller's signal fired or `abortAllProcesses()` ran. Callers usually ignore it silently. */
export class ProcessAbortedError extends ProcessError {
  constructor(commandLine: string, stderrTail: string[]) {
    super('process aborted', commandLine, stderrTail);
  }
}

export class ProcessTimeoutError extends ProcessError {
  constructor(
    commandLine: string,
    stderrTail: string[],
    readonly timeoutMs: number,
  ) {
    super(`process timed out after ${timeoutMs} ms`, commandLine, stderrTail);
  }
}

export class ProcessOutputTooLargeError extends ProcessError {
  constructor(
    commandLine: string,
    stderrTail: string[],
    readonly maxBytes: number,
  ) {
    super(`process wrote more than ${maxBytes} bytes to stdout`, commandLine, stderrTail);
  }
}

export function isProcessAbortedError(error: unknown): error is ProcessAbortedError {
  return error instanceof ProcessAbortedError;
}

interface Tracked {
  child: StartedProcess;
  abort: () => void;
}

const running = new Set<Tracked>();

/** Kills every running media process (SIGKILL); their callers get `ProcessAbortedError`. For shutdown. */
export function abortAllProcesses(): void {
  for (const tracked of [...running]) tracked.abort();
}

/** How many media processes are running now; for shutdown checks and tests. */
export function countRunningProcesses(): number {
  return running.size;
}

/** A line that can be pasted into a shell to rerun the command (POSIX quoting, or cmd.exe quoting on Windows). */
export function formatCommandLine(bin: string, args: readonly string[], platform: NodeJS.Platform = process.platform) {
  const quote = platform === 'win32' ? quoteWindows : quotePosix;
  return [bin, ...args].map(quote).join(' ');
}

function quotePosix(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

function quoteWindows(arg: string): string {
  if (arg !== '' && /^[\w@%+=:,./\\-]+$/.test(arg)) return arg;
  return `"${arg.replaceAll('"', '""')}"`;
}

/**
 * Splits a byte stream into text lines. ffmpeg ends its status lines with a bare `\r`, so `\r`,
 * `\n` and `\r\n` all end a line; empty lines are dropped.
 */
export function createLineSplitter(onLine: (line: string) => void) {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  const emit = (text: string) => {
    const parts = (pending + text).split(/\r\n|\r|\n/);
    pending = parts.pop() ?? '';
    for (const part of parts) if (part !== '') onLine(part);
  };
  return {
    push: (chunk: Buffer) => emit(decoder.write(chunk)),
    end: () => {
      emit(decoder.end());
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

/** A folder that never exists: only the presence of `GCONV_PATH` matters, not its modules. */
const NO_GCONV_DIR = '/nonexistent/evidence-station/gconv';

/**
 * The environment media tools run in. Static Linux builds carry an old glibc that, reading the host's
 * `gconv-modules.cache`, dlopens the host's (newer) charset modules and crashes: ffprobe died by
 * SIGSEGV on every MPEG-TS file, whose service names it converts with iconv. Any `GCONV_PATH` makes
 * glibc skip the cache and read only the plain `gconv-modules` list, which names no module the
 * demuxer asks for; iconv then fails cleanly and the name is kept as it is. Elsewhere: unchanged.
 */
export function mediaToolEnv(
  base: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv {
  if (platform !== 'linux' || base.GCONV_PATH !== undefined) return base;
  return { ...base, GCONV_PATH: NO_GCONV_DIR };
}

const SETPRIV_CANDIDATES = ['/usr/bin/setpriv', '/bin/setpriv'];
let setprivPath: string | null | undefined;

/**
 * How a media tool is started so that it dies with the engine. A SIGKILLed engine runs no exit
 * handler, and an ffmpeg it started would go on writing (a cut once outlived its parent by 40 s,
 * into a file recovery then removed). On Linux, util-linux's `setpriv --pdeathsig SIGKILL` asks
 * the kernel to kill the tool when the engine dies; where setpriv is absent the tool runs as is
 * (and `abortAllProcesses` still ends it on every orderly shutdown). A tool that does not exist
 * is started directly, so its absence reads as a failed start, not as setpriv's exit code.
 */
export function deathBoundCommand(
  bin: string,
  args: readonly string[],
  platform: NodeJS.Platform = process.platform,
): { file: string; argv: string[] } {
  if (platform !== 'linux' || !isAbsolute(bin) || !existsSync(bin)) return { file: bin, argv: [...args] };
  setprivPath ??= SETPRIV_CANDIDATES.find((p) => existsSync(p)) ?? null;
  if (!setprivPath) return { file: bin, argv: [...args] };
  return { file: setprivPath, argv: ['--pdeathsig', 'SIGKILL', '--', bin, ...args] };
}

let launcher: ProcessLauncher | null = null;

/**
 * Linux, under Node. In Electron's engine process `process.execPath` is the app itself, which runs
 * a script only while its RunAsNode fuse is on; a packaging that turns the fuse off would open a
 * second app window instead, so there the tools are still started directly.
 */
function launcherAvailable(): boolean {
  return process.platform === 'linux' && process.versions.electron === undefined;
}

/** The engine's one launcher, itself death-bound like the tools it starts. */
function sharedLauncher(): ProcessLauncher {
  launcher ??= new ProcessLauncher((source) => deathBoundCommand(process.execPath, ['-e', source]));
  return launcher;
}

/** Boots the process launcher now where probes will use it (an import is starting), so the first probe does not wait for it. */
export function prestartProcessLauncher(): void {
  if (launcherAvailable()) sharedLauncher().prestart();
}

/** Ends the process launcher, if one was started (what it still runs is killed); for tests and shutdown. */
export function closeProcessLauncher(): void {
  launcher?.close();
}

/**
 * A tool started from this process. `stop` SIGKILLs its group (or the tool alone), and once the
 * tool is dead its output is not wanted: a child it left behind (outside its group, or where there
 * is none) must not keep the pipes, and so the caller, open until that child ends.
 */
class DirectProcess extends EventEmitter implements StartedProcess {
  private readonly child: ChildProcess;
  private stopping = false;

  constructor(
    file: string,
    argv: string[],
    private readonly ownGroup: boolean,
  ) {
    super();
    this.child = spawn(file, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      env: mediaToolEnv(),
      detached: ownGroup,
    });
    this.child.on('error', (error) => this.emit('error', error));
    this.child.on('close', (code, signal) => this.emit('close', code, signal));
    this.child.on('exit', () => {
      if (this.stopping) this.releasePipes();
    });
  }

  get stdout(): EventEmitter | null {
    return this.child.stdout;
  }

  get stderr(): EventEmitter | null {
    return this.child.stderr;
  }

  stop(): void {
    this.stopping = true;
    const { child } = this;
    let killed = false;
    if (this.ownGroup && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
        killed = true;
      } catch {
        // The group is gone already; the tool itself may not be.
      }
    }
    if (!killed) child.kill('SIGKILL');
    if (child.exitCode !== null || child.signalCode !== null) this.releasePipes();
  }

  private releasePipes(): void {
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

/**
 * Runs `bin args` to completion. Resolves when it exits with code 0; otherwise rejects with one of
 * the `ProcessError` subclasses above. The process never outlives an aborted signal or the timeout.
 */
export function runProcess(bin: string, args: readonly string[], opts: RunProcessOptions = {}): Promise<ProcessResult> {
  const commandLine = formatCommandLine(bin, args);
  const stderrTail: string[] = [];
  const tail = () => [...stderrTail];
  if (opts.signal?.aborted) return Promise.reject(new ProcessAbortedError(commandLine, []));

  opts.log?.info('media process start', { commandLine });
  return new Promise<ProcessResult>((resolve, reject) => {
    let child: StartedProcess;
    try {
      const command = deathBoundCommand(bin, args);
      // A death-bound tool (Linux, setpriv) leads its own process group, so a kill reaches whatever it
      // started too: a wrapper script's children otherwise keep its output open and outlive it. Only
      // then: elsewhere nothing kills the tool when the engine dies, and staying in the engine's group
      // is what lets a terminal's Ctrl+C reach it.
      const ownGroup = command.file !== bin;
      child =
        opts.viaLauncher && launcherAvailable()
          ? sharedLauncher().start(command.file, command.argv, mediaToolEnv(), ownGroup)
          : new DirectProcess(command.file, command.argv, ownGroup);
    } catch (error) {
      // spawn throws synchronously for malformed arguments (e.g. a NUL byte in a path).
      reject(
        new ProcessFailedError(commandLine, [], null, null, error instanceof Error ? error : new Error(String(error))),
      );
      return;
    }
    const maxBytes = opts.maxStdoutBytes ?? DEFAULT_MAX_STDOUT_BYTES;
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let failure: ProcessError | null = null;
    let timer: NodeJS.Timeout | undefined;

    // Only the first reason to stop counts: a timeout followed by the resulting exit is a timeout.
    const stop = (error: ProcessError) => {
      if (failure) return;
      failure = error;
      // SIGKILL: ffmpeg may ignore or slowly handle SIGTERM while blocked on a stalled USB read.
      child.stop();
    };
    const tracked: Tracked = { child, abort: () => stop(new ProcessAbortedError(commandLine, tail())) };
    running.add(tracked);
    const onAbort = () => tracked.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => stop(new ProcessTimeoutError(commandLine, tail(), opts.timeoutMs ?? 0)), opts.timeoutMs);
    }

    const stderrLines = createLineSplitter((line) => {
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      opts.onStderrLine?.(line);
    });
    const stdoutLines = opts.onStdoutLine ? createLineSplitter(opts.onStdoutLine) : null;

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutLines?.push(chunk);
      if (!opts.collectStdout || failure) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxBytes) stop(new ProcessOutputTooLargeError(commandLine, tail(), maxBytes));
      else stdoutChunks.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => stderrLines.push(chunk));

    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    // 'close' (not 'exit') so every byte of stdout and stderr has been read before we settle.
    child.on('close', (code, signal) => {
      running.delete(tracked);
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      stdoutLines?.end();
      stderrLines.end();
      if (failure) {
        opts.log?.warn('media process stopped', { commandLine, reason: failure.name });
        reject(failure);
      } else if (code !== 0 || spawnError) {
        const error = new ProcessFailedError(commandLine, tail(), code, signal, spawnError);
        opts.log?.warn('media process failed', { commandLine, exitCode: code, stderrTail: tail().slice(-5) });
        reject(error);
      } else {
        resolve({ stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderrTail: tail() });
      }
    });
  });
}
