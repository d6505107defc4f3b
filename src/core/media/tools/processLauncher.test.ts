import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  abortAllProcesses,
  closeProcessLauncher,
  countRunningProcesses,
  ProcessAbortedError,
  ProcessFailedError,
  ProcessOutputTooLargeError,
  ProcessTimeoutError,
  runProcess,
  STDERR_TAIL_LINES,
} from './runProcess';

// Real child processes started through the real launcher (a second Node process): Node itself is
// the cheapest program that is always present. Linux only, as the launcher is.
const node = process.execPath;
const script = (code: string) => ['-e', code];
const viaLauncher = true;

/** The pids of the processes whose parent is `ppid`, from /proc. */
async function childrenOf(ppid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === ppid) pids.push(Number(name));
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterAll(() => closeProcessLauncher());

describe.runIf(process.platform === 'linux')('runProcess through the process launcher', () => {
  it('starts the tool from the launcher, not from this process, and relays stdout byte for byte', async () => {
    const text = '记录 ' + 'x'.repeat(200_000) + '\nend';
    const code = `process.stdout.write("记录 " + "x".repeat(200000) + "\\nend"); console.error(process.ppid)`;
    const result = await runProcess(node, script(code), { collectStdout: true, viaLauncher });
    expect(result.stdout).toBe(text);
    // setpriv execs the tool in place, so the tool's parent is the launcher: our one child running its source.
    const launchers: number[] = [];
    for (const pid of await childrenOf(process.pid)) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes('processLauncherMain')) launchers.push(pid);
    }
    expect(launchers).toHaveLength(1);
    expect(Number(result.stderrTail.at(-1))).toBe(launchers[0]);
  });

  it('rejects a non-zero exit with the code and the last stderr lines', async () => {
    const code = 'for (let i = 0; i < 80; i++) console.error("line " + i); process.exit(3)';
    const error = await runProcess(node, script(code), { viaLauncher }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    const failed = error as ProcessFailedError;
    expect(failed.exitCode).toBe(3);
    expect(failed.spawnError).toBeUndefined();
    expect(failed.stderrTail).toHaveLength(STDERR_TAIL_LINES);
    expect(failed.stderrTail.at(-1)).toBe('line 79');
  });

  it('rejects a missing program as failed to start', async () => {
    const error = await runProcess('/nonexistent/ffprobe-xyz', ['-version'], { viaLauncher }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect((error as ProcessFailedError).spawnError).toBeDefined();
  });

  it('kills the tool on abort, on timeout and past the output cap', async () => {
    const controller = new AbortController();
    const aborted = runProcess(node, script('console.error("ready"); setInterval(() => {}, 1000)'), {
      signal: controller.signal,
      onStderrLine: () => controller.abort(),
      viaLauncher,
    });
    await expect(aborted).rejects.toBeInstanceOf(ProcessAbortedError);
    const timedOut = runProcess(node, script('setInterval(() => {}, 1000)'), { timeoutMs: 300, viaLauncher });
    await expect(timedOut).rejects.toBeInstanceOf(ProcessTimeoutError);
    const tooLarge = runProcess(node, script('setInterval(() => process.stdout.write("y".repeat(65536)), 1)'), {
      collectStdout: true,
      maxStdoutBytes: 100_000,
      viaLauncher,
    });
    await expect(tooLarge).rejects.toBeInstanceOf(ProcessOutputTooLargeError);
    expect(countRunningProcesses()).toBe(0);
  });

  it('kills the whole group of a tool that left a child holding its output open, and settles', async () => {
    // A wrapper script standing in for ffprobe: its `sleep` inherits stdout and stderr.
    const dir = await mkdtemp(join(tmpdir(), 'hanging-probe-'));
    try {
      const tool = join(dir, 'ffprobe');
      const pidFile = join(dir, 'sleep.pid');
      await writeFile(tool, `#!/bin/sh\nsleep 600 &\necho $! > '${pidFile}'\nwait\n`, { mode: 0o755 });
      const error = await runProcess(tool, ['-version'], { timeoutMs: 500, collectStdout: true, viaLauncher }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProcessTimeoutError);
      expect(countRunningProcesses()).toBe(0);
      const sleeper = Number(await readFile(pidFile, 'utf8'));
      for (let i = 0; i < 250 && alive(sleeper); i++) await new Promise((r) => setTimeout(r, 20));
      expect(alive(sleeper)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('abortAllProcesses ends the tools the launcher runs', async () => {
    let started = 0;
    const onStderrLine = () => {
      started += 1;
      if (started === 2) abortAllProcesses();
    };
    const code = script('console.error("up"); setInterval(() => {}, 1000)');
    const results = await Promise.allSettled([
      runProcess(node, code, { onStderrLine, viaLauncher }),
      runProcess(node, code, { onStderrLine, viaLauncher }),
    ]);
    for (const result of results) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ProcessAbortedError);
    expect(countRunningProcesses()).toBe(0);
  });

  it('a launcher that goes fails its tools as not started, takes them with it, and is replaced', async () => {
    let toolPid = 0;
    const pending = runProcess(node, script('console.error(process.pid); setInterval(() => {}, 1000)'), {
      viaLauncher,
      onStderrLine: (line) => {
        toolPid = Number(line);
        closeProcessLauncher();
      },
    });
    const error = await pending.catch((e: unknown) => e);
    // Not the tool's own failure: a probe reads this as the station's fault, never as an undecodable file.
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect((error as ProcessFailedError).spawnError).toBeDefined();
    // setpriv --pdeathsig: the tool dies with the launcher that started it.
    for (let i = 0; i < 100 && alive(toolPid); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(toolPid)).toBe(false);
    const again = await runProcess(node, script('process.stdout.write("back")'), { collectStdout: true, viaLauncher });
    expect(again.stdout).toBe('back');
  });
});
