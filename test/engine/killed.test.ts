import { copyFile, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, listNames, makeSparseFiles, makeTempDir, quietLogger, removeTree, sha256File } from './harness';
import { runCli, spawnCli, whenCli, type RunningCli } from './cliRunner';

/**
 * A CLI import killed with SIGKILL (power cut, OOM killer) at several moments. When the station
 * opens again, recovery must leave either the old state or the new one: no temporary files, the
 * interrupted import closed as failed, every item present complete, the chain intact.
 */

const MiB = 1024 * 1024;

let root: string;
let cardDir: string;
/** SHA-256 of the first big file, to see the moment its copy lands in the store. */
let bigSha: string;

beforeAll(async () => {
  root = await makeTempDir('killed');
  cardDir = join(root, 'card');
  const [big] = await makeSparseFiles(cardDir, 2, 256 * MiB);
  bigSha = await sha256File(big!);
  // Two small real files sort before the big ones, so some moments come after finished items.
  await copyFile(getMediaFixtures().h264, join(cardDir, 'a-first.mp4'));
  await copyFile(getMediaFixtures().audio, join(cardDir, 'b-second.m4a'));
});

afterAll(async () => {
  await removeTree(root);
});

const lines = (cli: RunningCli): string[] =>
  cli
    .stderr()
    .split('\n')
    .filter((l) => /^\[\d+\/\d+\] /.test(l));
const fileLines = (cli: RunningCli): number => lines(cli).length;
/** The files the CLI reported imported (`[n/N] imported path`): each is committed before its line is written. */
const reported = (cli: RunningCli): string[] =>
  lines(cli).flatMap((l) => /^\[\d+\/\d+\] imported\s+(\S+)/.exec(l)?.[1] ?? []);
const hasPartFile = async (dataDir: string): Promise<boolean> =>
  (await readdir(join(dataDir, 'tmp')).catch(() => [] as string[])).some((n) => n.endsWith('.part'));

/** When to pull the plug: each names a moment an import passes through. */
const MOMENTS: {
  name: string;
  /** Items that must have survived: the files reported before the kill. */
  kept: string[];
  storedBeforeKill?: boolean;
  ready: (cli: RunningCli, dataDir: string) => Promise<boolean> | boolean;
}[] = [
  { name: 'right after the first file was reported', kept: ['a-first.mp4'], ready: (cli) => fileLines(cli) >= 1 },
  {
    name: 'while a big file is being copied',
    kept: ['a-first.mp4', 'b-second.m4a'],
    ready: async (cli, d) => fileLines(cli) >= 2 && hasPartFile(d),
  },
  {
    // Between the rename into the store and the commit: a stored copy with no item yet. The two
    // small files may still be in their commit group here (their probes run beside the big copy,
    // slower on a busy machine): what must survive is what was reported, checked for every moment.
    name: 'after a big file was stored, before it was recorded',
    kept: [],
    storedBeforeKill: true,
    ready: (_cli, d) =>
      stat(join(d, 'evidence', 'sha256', bigSha.slice(0, 2), bigSha.slice(2, 4), bigSha)).then(
        () => true,
        () => false,
      ),
  },
];

describe('an import killed part-way', () => {
  for (const [index, moment] of MOMENTS.entries()) {
    it(`recovers cleanly when killed ${moment.name}`, async () => {
      const dataDir = join(root, `data-${index}`);
      const init = await runCli(['init', '--admin', ADMIN.name, '--data', dataDir]);
      expect(init.code, init.stderr).toBe(0);

      const cli = spawnCli(['import', cardDir, '--data', dataDir]);
      await whenCli(cli, () => moment.ready(cli, dataDir));
      cli.child.kill('SIGKILL');
      const reportedBeforeKill = reported(cli);
      const ended = await cli.done;
      expect(ended.signal).toBe('SIGKILL');
      const hadPartFile = await hasPartFile(dataDir);

      const log = quietLogger();
      const engine = await createEngine({ dataDir, runJobs: false, log });
      try {
        expect(await listNames(join(dataDir, 'tmp'))).toEqual([]);
        const ctx = { sessionId: null, via: 'test' as const };
        const session = await engine.call('auth.signIn', ADMIN, ctx);
        const call = { sessionId: session.sessionId, via: 'test' as const };

        const [interrupted, ...older] = await engine.call('import.list', {}, call);
        expect(older).toEqual([]);
        expect(interrupted).toMatchObject({ state: 'failed', safeToWipe: false });
        const { entries } = await engine.call('custody.list', { subject: interrupted!.id }, call);
        expect(entries.map((e) => e.action)).toEqual(['import.start', 'import.interrupted']);
        const { orphansRemoved } = entries[1]!.details as { orphansRemoved: number };

        // Every item that exists is complete: its stored copy hashes to its recorded hash.
        const { items } = await engine.call('library.query', {}, call);
        const record = await engine.call('import.get', { importId: interrupted!.id }, call);
        expect(items.map((i) => i.id).sort()).toEqual(record.files.flatMap((f) => (f.itemId ? [f.itemId] : [])).sort());
        for (const item of items) {
          expect(await sha256File(engine.storedPathOf(item.sha256))).toBe(item.sha256);
        }
        const names = items.map((i) => i.originalName);
        for (const name of [...moment.kept, ...reportedBeforeKill]) expect(names).toContain(name);
        // The import record and the library agree on which files became items.
        expect(record.files.filter((f) => f.itemId).map((f) => f.originalName)).toEqual(names.slice().sort());
        if (moment.storedBeforeKill) {
          // Either the new state (the big file recorded) or the old one (its copy removed again).
          expect(orphansRemoved).toBe(names.includes('big-00.mp4') ? 0 : 1);
        }

        const report = await engine.check({ rehash: true });
        expect(report.problems).toEqual([]);
        expect(report.ok).toBe(true);
        expect(await engine.call('custody.verify', {}, call)).toMatchObject({ ok: true, firstBroken: null });

        // The station takes imports again after recovery.
        const { importId } = await engine.call('import.start', { paths: [join(cardDir, 'a-first.mp4')] }, call);
        const again = await engine.waitForImport(importId);
        expect(again.state).toBe('completed');
      } finally {
        await engine.close();
      }
      expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
      // What recovery removed stays on record in the data directory's own log.
      const stationLog = await readFile(join(dataDir, 'logs', 'station.log'), 'utf8');
      if (hadPartFile) expect(stationLog).toContain('removed a leftover temporary file');
    });
  }
});
