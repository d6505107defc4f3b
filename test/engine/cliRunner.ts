import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUILT_CLI, BUILT_NODE_FLAGS } from '../nodeBuild';

/**
 * Runs the real CLI in a child process: its build, `node out/node/cli.js`, which the package's bin
 * loads (Vitest's global setup rebuilds it when the sources changed). Started directly rather than
 * through the bin's launcher or npm, so a SIGKILL hits the process that does the work.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_PASSWORD = 'correct horse battery';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  stdout(): string;
  done: Promise<CliResult>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [...BUILT_NODE_FLAGS, BUILT_CLI, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, STATION_PASSWORD: CLI_PASSWORD, STATION_DATA: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stderr: () => stderr, stdout: () => stdout, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}

/**
 * Resolves once `ready()` holds, checking after every chunk of output and every few milliseconds
 * in between; rejects if the process ends first. Polling only decides when to act: no test
 * asserts on how long anything took.
 */
export function whenCli(cli: RunningCli, ready: () => Promise<boolean> | boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      cli.child.stderr?.off('data', check);
      if (error) reject(error);
      else resolve();
    };
    const check = (): void => {
      void Promise.resolve(ready()).then(
        (ok) => ok && finish(),
        (error: unknown) => finish(error as Error),
      );
    };
    const timer = setInterval(check, 5);
    cli.child.stderr?.on('data', check);
    void cli.done.then((r) => finish(new Error(`the CLI ended (code ${r.code}) before the moment came:\n${r.stderr}`)));
  });
}
