import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToOwner } from '../../src/core/daemon/openStation';
import { createEngine } from '../../src/core/engine';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';
import { runProcess } from '../../src/core/media/tools/runProcess';
import { readOwnerRecord } from '../../src/core/station/engineLock';
import { runCli, spawnCli, whenCli } from './cliRunner';
import { ADMIN, listStoredShas, makeTempDir, quietLogger, removeTree } from './harness';

/**
 * A killed engine leaves no ffmpeg running: an exact cut of a long recording is under way in the
 * engine process of `serve` when that process is SIGKILLed. Every ffmpeg it started must be gone
 * (Linux: `setpriv --pdeathsig`), checked in /proc; the next start's recovery leaves no half-made
 * file and no clip item, and check finds nothing wrong.
 */

let root: string;
beforeAll(async () => {
  root = await makeTempDir('killedcut');
});
afterAll(async () => {
  await removeTree(root);
});

interface ProcInfo {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string[];
}

async function processes(): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = await procInfo(Number(name));
    if (info) out.push(info);
  }
  return out;
}

/** A process as /proc shows it now; null once it is gone. */
async function procInfo(pid: number): Promise<ProcInfo | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter(Boolean);
    return { pid, ppid: Number(fields[1]), state: fields[0]!, cmdline };
  } catch {
    return null;
  }
}

/** Polls until `done` holds; the generous bound only stops a test that would otherwise hang. */
async function until(what: string, done: () => Promise<boolean>, boundMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > boundMs) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('an engine killed during an exact cut', { timeout: 300_000 }, () => {
  it.skipIf(process.platform !== 'linux')(
    'leaves no ffmpeg running, and recovery leaves no half file and no item',
    async () => {
      const tools = await resolveMediaTools();
      const video = join(root, 'long.mp4');
      // Long enough that re-encoding it (libx264, CRF 16) is still running when the engine is killed.
      await runProcess(tools.ffmpeg.path, [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=150',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-pix_fmt', 'yuv420p', video,
    ]); // prettier-ignore
      const dataDir = join(root, 'data');
      const init = await runCli(['init', '--admin', ADMIN.name, '--data', dataDir]);
      expect(init.code, init.stderr).toBe(0);

      const serve = spawnCli(['serve', '--data', dataDir]);
      let cutPids: number[] = [];
      try {
        await whenCli(serve, () => serve.stdout().includes('token='));
        const enginePid = (await readOwnerRecord(dataDir))!.pid;
        expect(enginePid).not.toBe(serve.child.pid);
        const engine = (await connectToOwner(dataDir, 'cli'))!;
        const { sessionId } = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'cli' });
        const ctx = { sessionId, via: 'cli' as const };
        const { importId } = await engine.call('import.start', { paths: [video] }, ctx);
        const record = await engine.waitForImport(importId);
        const itemId = record.files[0]!.itemId!;
        expect(record.counts.imported).toBe(1);

        const cut = engine.call(
          'clips.create',
          { jobId: 'killed-cut-1', itemId, fromSec: 1, toSec: 145, mode: 'exact' },
          ctx,
        );
        cut.catch(() => undefined);
        // The engine's encoding ffmpeg, seen in /proc as its child, writing into the station's tmp/.
        await until('the exact cut’s ffmpeg runs under the engine', async () => {
          const mine = (await processes()).filter(
            (p) => p.ppid === enginePid && p.cmdline.some((a) => a.includes('libx264')),
          );
          cutPids = mine.map((p) => p.pid);
          return cutPids.length > 0;
        });
        const tmp = join(dataDir, 'tmp');
        await until('the cut has begun writing', async () => (await readdir(tmp)).length > 0);

        process.kill(enginePid, 'SIGKILL');
        await expect(cut).rejects.toMatchObject({ code: 'engine.unreachable' });
        await until(
          'every ffmpeg of the killed engine has ended',
          async () => {
            const left = await Promise.all(cutPids.map(procInfo));
            return left.every((p) => p === null || p.state === 'Z');
          },
          30_000,
        );
        await engine.close();
        await serve.done;
      } finally {
        if (serve.child.exitCode === null) serve.child.kill('SIGTERM');
        for (const pid of cutPids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone, as it should be
          }
        }
      }

      const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
      try {
        expect(await readdir(join(dataDir, 'tmp'))).toEqual([]);
        const session = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
        const ctx = { sessionId: session.sessionId, via: 'test' as const };
        const { items } = await engine.call('library.query', {}, ctx);
        expect(items).toHaveLength(1);
        expect(await listStoredShas(dataDir)).toEqual([items[0]!.sha256]);
        const { entries } = await engine.call('custody.list', { limit: 500 }, ctx);
        expect(entries.map((e) => e.action)).not.toContain('clip.create');
        const report = await engine.check({ rehash: true });
        expect(report.problems).toEqual([]);
        expect(report.ok).toBe(true);
      } finally {
        await engine.close();
      }
    },
  );
});
