import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

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

/** dd's flags for reading and writing past the page cache, or none where the file system refuses them. */
export interface DdFlags {
  direct: boolean;
  iflag: string;
  oflag: string;
}

/**
 * Whether `dir`'s file system takes direct I/O, as the engine asks for it. tmpfs does not: there
 * the engine falls back to plain I/O, and the baselines must too (dd would fail with EINVAL), so a
 * figure run with TMPDIR on a RAM disk shows the pipeline without the disk's limit.
 */
export async function ddFlagsFor(dir: string): Promise<DdFlags> {
  const probe = join(dir, '.direct-io-probe');
  try {
    await runTimed('dd', ['if=/dev/zero', `of=${probe}`, 'bs=4096', 'count=1', 'oflag=direct', 'status=none']);
    return { direct: true, iflag: 'iflag=direct', oflag: 'oflag=direct' };
  } catch {
    return { direct: false, iflag: '', oflag: '' };
  } finally {
    await rm(probe, { force: true });
  }
}
