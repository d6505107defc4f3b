import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  abortAllProcesses,
  countRunningProcesses,
  createLineSplitter,
  formatCommandLine,
  mediaToolEnv,
  ProcessAbortedError,
  ProcessFailedError,
  ProcessOutputTooLargeError,
  ProcessTimeoutError,
  runProcess,
  STDERR_TAIL_LINES,
} from './runProcess';

// Real child processes: Node itself is the cheapest program that is always present.
const node = process.execPath;
const script = (code: string) => ['-e', code];

/** True once no process has this id (a killed process is reaped by init a moment later). */
async function waitUntilGone(pid: number): Promise<boolean> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('runProcess', () => {
  it('collects stdout and streams lines when asked', async () => {
    const lines: string[] = [];
    const result = await runProcess(node, script('process.stdout.write("a\\nb\\r\\nc")'), {
      collectStdout: true,
      onStdoutLine: (line) => lines.push(line),
    });
    expect(result.stdout).toBe('a\nb\r\nc');
    expect(lines).toEqual(['a', 'b', 'c']);
  });

  it('does not keep stdout unless collecting', async () => {
    const result = await runProcess(node, script('process.stdout.write("x".repeat(100000))'));
    expect(result.stdout).toBe('');
  });

  it('rejects a non-zero exit with the code and the last stderr lines', async () => {
    const code = 'for (let i = 0; i < 80; i++) console.error("line " + i); process.exit(3)';
    const error = await runProcess(node, script(code)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    const failed = error as ProcessFailedError;
    expect(failed.exitCode).toBe(3);
    expect(failed.stderrTail).toHaveLength(STDERR_TAIL_LINES);
    expect(failed.stderrTail.at(-1)).toBe('line 79');
    expect(failed.message).toContain('exited with code 3: line 79');
    expect(failed.commandLine).toContain(node);
  });

  it('rejects a missing program as failed to start', async () => {
    const error = await runProcess('/nonexistent/ffmpeg-xyz', ['-version']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessFailedError);
    expect((error as ProcessFailedError).spawnError).toBeDefined();
    expect((error as Error).message).toContain('could not start');
  });

  it('kills the process when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = runProcess(node, script('console.error("ready"); setInterval(() => {}, 1000)'), {
      signal: controller.signal,
      onStderrLine: () => controller.abort(),
    });
    await expect(pending).rejects.toBeInstanceOf(ProcessAbortedError);
    expect(countRunningProcesses()).toBe(0);
  });

  it('refuses to start with an already aborted signal', async () => {
    await expect(runProcess(node, script(''), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      ProcessAbortedError,
    );
  });

  it('kills the process on timeout', async () => {
    const error = await runProcess(node, script('setInterval(() => {}, 1000)'), { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProcessTimeoutError);
    expect((error as ProcessTimeoutError).timeoutMs).toBe(200);
  });

  it('settles a timeout when the tool left a child holding its output open (a wrapper script that hangs)', async () => {
    // A shell script standing in for ffmpeg (a fake in STATION_FFMPEG_DIR, a vendor's wrapper):
    // its `sleep` inherits stdout and stderr, so killing the shell alone leaves the pipes open.
    const dir = await mkdtemp(path.join(tmpdir(), 'hanging-tool-'));
    try {
      const tool = path.join(dir, 'ffmpeg');
      const pidFile = path.join(dir, 'sleep.pid');
      await writeFile(tool, `#!/bin/sh\nsleep 600 &\necho $! > '${pidFile}'\nwait\n`, { mode: 0o755 });
      const error = await runProcess(tool, ['-version'], { timeoutMs: 500, collectStdout: true }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProcessTimeoutError);
      expect(countRunningProcesses()).toBe(0);
      // On Linux the tool runs in its own process group, so the child went with it.
      if (process.platform === 'linux') {
        const sleeper = Number(await readFile(pidFile, 'utf8'));
        await expect(waitUntilGone(sleeper)).resolves.toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 20_000);

  it('kills a process whose collected stdout exceeds the cap', async () => {
    const code = 'setInterval(() => process.stdout.write("y".repeat(65536)), 1)';
    const pending = runProcess(node, script(code), { collectStdout: true, maxStdoutBytes: 100_000 });
    await expect(pending).rejects.toBeInstanceOf(ProcessOutputTooLargeError);
  });

  it('abortAllProcesses ends every running process', async () => {
    let started = 0;
    const onStderrLine = () => {
      started += 1;
      if (started === 2) abortAllProcesses();
    };
    const code = script('console.error("up"); setInterval(() => {}, 1000)');
    const results = await Promise.allSettled([
      runProcess(node, code, { onStderrLine }),
      runProcess(node, code, { onStderrLine }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ProcessAbortedError);
    }
    expect(countRunningProcesses()).toBe(0);
  });
});

describe('formatCommandLine', () => {
  it('quotes what a POSIX shell would split or expand', () => {
    expect(formatCommandLine('/usr/bin/ffmpeg', ['-i', '执法 记录 01.mp4', "it's", '', '-y'], 'linux')).toBe(
      `/usr/bin/ffmpeg -i '执法 记录 01.mp4' 'it'\\''s' '' -y`,
    );
  });

  it('uses double quotes on Windows', () => {
    expect(formatCommandLine('C:\\ff\\ffmpeg.exe', ['-i', 'a b.mp4'], 'win32')).toBe('C:\\ff\\ffmpeg.exe -i "a b.mp4"');
  });
});

describe('createLineSplitter', () => {
  it('splits on CR, LF and CRLF across chunk and UTF-8 boundaries', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    const bytes = Buffer.from('frame=1\rframe=2\r\n记录\nlast');
    for (const byte of bytes) splitter.push(Buffer.from([byte]));
    splitter.end();
    expect(lines).toEqual(['frame=1', 'frame=2', '记录', 'last']);
  });
});

describe('mediaToolEnv', () => {
  it('sets GCONV_PATH on Linux so static builds do not load the host charset modules', () => {
    const env = mediaToolEnv({ PATH: '/usr/bin' }, 'linux');
    expect(env.PATH).toBe('/usr/bin');
    expect(env.GCONV_PATH).toMatch(/^\//);
  });

  it('keeps a GCONV_PATH already set, and changes nothing elsewhere', () => {
    expect(mediaToolEnv({ GCONV_PATH: '/opt/gconv' }, 'linux')).toEqual({ GCONV_PATH: '/opt/gconv' });
    expect(mediaToolEnv({ PATH: 'C:\\ffmpeg' }, 'win32')).toEqual({ PATH: 'C:\\ffmpeg' });
  });
});
