import { spawn } from 'node:child_process';

/**
 * Runs a command to completion and times it from spawn to exit. stdout is discarded (the baselines
 * print hashes nobody reads); stderr is kept so a failing baseline says why.
 */
export function runTimed(command: string, args: string[], opts: { cwd?: string } = {}): Promise<{ ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - start;
      if (code === 0) resolve({ ms });
      else reject(new Error(`${command} ${args.join(' ')} failed (${code ?? signal}): ${stderr.trim()}`));
    });
  });
}

/** Flushes dirty pages so that one side's write-back does not land in the other side's timing. */
export async function syncDisks(): Promise<void> {
  await runTimed('sync', []);
}

/** Quotes a path for `sh -c`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
