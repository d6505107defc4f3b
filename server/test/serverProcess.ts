import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BUILT_NODE_FLAGS, BUILT_SERVER } from '../../test/nodeBuild';

/**
 * The server as a real process: `node out/node/server.js …`, the build `npm run server` runs
 * (Vitest's global setup rebuilds it when the sources changed), started directly so a test's
 * signal reaches the server itself. English messages.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then the exit. */
  stop(): Promise<CommandResult>;
}

function spawnServer(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [...BUILT_NODE_FLAGS, BUILT_SERVER, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

export function runServerCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return spawnServer(args, env).done;
}

/** Starts `--port 0` (or the given args) and resolves with the URL the server printed. */
export async function startServerProcess(
  dataDir: string,
  env: NodeJS.ProcessEnv = {},
  extraArgs: string[] = ['--port', '0'],
): Promise<ServerProcess> {
  const p = spawnServer(['--data', dataDir, ...extraArgs], env);
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (): void => {
      const m = /listening on (http:\/\/\S+)/.exec(p.stdout());
      if (m) {
        p.child.stdout!.off('data', onData);
        resolve(m[1]!);
      }
    };
    p.child.stdout!.on('data', onData);
    void p.done.then((r) => reject(new Error(`the server exited (${r.code}) before listening:\n${r.stderr}`)));
  });
  return {
    url,
    child: p.child,
    stdout: p.stdout,
    stderr: p.stderr,
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      return p.done;
    },
  };
}
