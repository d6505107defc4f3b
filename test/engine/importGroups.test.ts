import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import type { CustodyEntry } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, listStoredShas, makeTempDir, openStation, quietLogger, removeTree, sha256File } from './harness';
import { runCli, spawnCli, whenCli, type RunningCli } from './cliRunner';

/**
 * Outcomes are committed in groups while later files are copied and probed. A kill while stored
 * copies wait for their group's commit must lose nothing: after recovery each file is either
 * recorded with its custody entry or listed as interrupted with nothing of it left in the store,
 * and importing the folder again redoes exactly those.
 */

const FILES = 30;

let root: string;
let cardDir: string;

beforeAll(async () => {
  root = await makeTempDir('import-groups');
  cardDir = join(root, 'card');
  await mkdir(cardDir, { recursive: true });
  // Real clips first and last; between them files named as video that ffprobe cannot read (still
  // stored, as undecodable): every one is copied, verified, probed and recorded like a clip.
  await copyFile(getMediaFixtures().h264, join(cardDir, 'clip-00.mp4'));
  for (let i = 1; i < FILES - 1; i++) {
    await writeFile(join(cardDir, `clip-${String(i).padStart(2, '0')}.mp4`), randomBytes(96 * 1024));
  }
  await copyFile(getMediaFixtures().audio, join(cardDir, `clip-${FILES - 1}.m4a`));
});

afterAll(async () => {
  await removeTree(root);
});

const reported = (cli: RunningCli): number =>
  cli
    .stderr()
    .split('\n')
    .filter((l) => /^\[\d+\/\d+\] /.test(l)).length;

const importEntries = (entries: CustodyEntry[], importId: string): CustodyEntry[] =>
  entries.filter((e) => e.action === 'import' && (e.details as { importId?: string }).importId === importId);

// Several whole imports each, two through the CLI: minutes on a shared, loaded machine.
describe('outcomes committed in groups', { timeout: 300_000 }, () => {
  it('records every file once, its custody entry in the order the import found the files', async () => {
    const station = await openStation();
    try {
      const record = await station.importAndWait([cardDir]);
      expect(record.state).toBe('completed');
      expect(record.files).toHaveLength(FILES);
      expect(record.files.every((f) => f.itemId !== null)).toBe(true);
      const { entries } = await station.call('custody.list', { limit: 500 });
      const mine = importEntries(entries, record.id).sort((a, b) => a.seq - b.seq);
      expect(mine.map((e) => e.subject)).toEqual(record.files.map((f) => f.itemId));
      expect(await listStoredShas(station.dataDir)).toEqual(record.files.map((f) => f.sha256).sort());
    } finally {
      await station.cleanup();
    }
  });

  it('makes a file a duplicate of an earlier one in the same import whose outcome was not yet committed', async () => {
    const dir = join(root, 'twins');
    await mkdir(dir, { recursive: true });
    const bytes = randomBytes(64 * 1024);
    for (const name of ['a.mp4', 'b.mp4', 'c.mp4']) await writeFile(join(dir, name), bytes);
    const station = await openStation();
    try {
      const record = await station.importAndWait([dir]);
      expect(record.files.map((f) => [f.originalName, f.status])).toEqual([
        ['a.mp4', 'undecodable'],
        ['b.mp4', 'duplicate'],
        ['c.mp4', 'duplicate'],
      ]);
      const first = record.files[0]!.itemId;
      expect(record.files.slice(1).map((f) => f.duplicateOf)).toEqual([first, first]);
      expect(await listStoredShas(station.dataDir)).toEqual([record.files[0]!.sha256]);
      expect((await station.engine.check({ rehash: true })).ok).toBe(true);
    } finally {
      await station.cleanup();
    }
  });

  it('loses nothing when the import is killed while stored copies wait for their commit', async () => {
    const dataDir = join(root, 'data-killed');
    const init = await runCli(['init', '--admin', ADMIN.name, '--data', dataDir]);
    expect(init.code, init.stderr).toBe(0);

    const cli = spawnCli(['import', cardDir, '--data', dataDir]);
    // More copies in the store than outcomes reported: some wait for their group's transaction.
    let reportedAtKill = 0;
    await whenCli(cli, async () => {
      const seen = reported(cli);
      if (seen === 0 || (await listStoredShas(dataDir)).length <= seen) return false;
      reportedAtKill = seen;
      return true;
    });
    cli.child.kill('SIGKILL');
    expect((await cli.done).signal).toBe('SIGKILL');

    const log = quietLogger();
    const engine = await createEngine({ dataDir, runJobs: false, log });
    try {
      const session = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
      const call = { sessionId: session.sessionId, via: 'test' as const };
      const [interrupted] = await engine.call('import.list', {}, call);
      const record = await engine.call('import.get', { importId: interrupted!.id }, call);
      expect(record.state).toBe('failed');

      // Exactly one outcome per file found, each either recorded or interrupted.
      expect(record.files).toHaveLength(FILES);
      expect(new Set(record.files.map((f) => f.relativePath)).size).toBe(FILES);
      const kept = record.files.filter((f) => f.itemId !== null);
      const redo = record.files.filter((f) => f.itemId === null);
      expect(kept.length).toBeGreaterThanOrEqual(reportedAtKill);
      expect(redo.every((f) => f.status === 'failed' && f.reasonCode === 'interrupted')).toBe(true);
      // The kept files are a prefix: outcomes are committed in the order the files were found.
      expect(record.files.slice(0, kept.length)).toEqual(kept);

      // Each kept file has its item, its stored copy holding its hash, and one custody entry, in order.
      const { entries } = await engine.call('custody.list', { limit: 500 }, call);
      const mine = importEntries(entries, record.id).sort((a, b) => a.seq - b.seq);
      expect(mine.map((e) => e.subject)).toEqual(kept.map((f) => f.itemId));
      const { items } = await engine.call('library.query', {}, call);
      expect(items.map((i) => i.id).sort()).toEqual(kept.map((f) => f.itemId).sort());
      for (const item of items) expect(await sha256File(engine.storedPathOf(item.sha256))).toBe(item.sha256);
      // Nothing of an interrupted file stays in the store.
      expect(await listStoredShas(dataDir)).toEqual(items.map((i) => i.sha256).sort());
      const report = await engine.check({ rehash: true });
      expect(report.problems).toEqual([]);
      expect(await engine.call('custody.verify', {}, call)).toMatchObject({ ok: true, firstBroken: null });

      // Importing the folder again redoes exactly the interrupted files.
      const { importId } = await engine.call('import.start', { paths: [cardDir] }, call);
      const again = await engine.waitForImport(importId);
      expect(again.state).toBe('completed');
      const statusOf = new Map(again.files.map((f) => [f.relativePath, f.status]));
      for (const f of kept) expect(statusOf.get(f.relativePath)).toBe('duplicate');
      for (const f of redo) expect(statusOf.get(f.relativePath)).not.toBe('duplicate');
      expect((await engine.call('library.query', {}, call)).total).toBe(FILES);
    } finally {
      await engine.close();
    }
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
