import { chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNames, makeSparseFiles, openStation, sha256File } from './harness';
import { tamper } from './tamper';
import { runCli } from './cliRunner';
import { evidencePath, stationLayout } from '../../src/core/store/layout';

/**
 * Recovery never deletes a file under `evidence/` that no record of the station accounts for: it
 * moves it to `quarantine/`, records it, and `check` lists it until an admin resolves it. And an
 * interrupted import's record lists every file it had not reached.
 */

describe('recovery and stored copies it cannot account for', () => {
  it('quarantines a foreign stored copy, lists it in check until an admin resolves it', async () => {
    const station = await openStation();
    try {
      const card = join(station.root, 'card');
      await makeSparseFiles(card, 3, 1024 * 1024);
      const { importId } = await station.call('import.start', { paths: [card] });
      await station.engine.waitForImport(importId);

      // Someone else's file, named like evidence, with no item; and a run left "running".
      const bytes = Buffer.from('not written by the station\n');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const foreign = evidencePath(stationLayout(station.dataDir), sha);
      await mkdir(dirname(foreign), { recursive: true });
      await writeFile(foreign, bytes);
      await chmod(foreign, 0o444);
      const { importId: second } = await station.call('import.start', { paths: [card] });
      await station.engine.waitForImport(second);
      await station.engine.close();
      const { openDatabase } = await import('../../src/core/db/database');
      const db = openDatabase(join(station.dataDir, 'station.db'));
      db.prepare(`UPDATE imports SET state = 'running' WHERE id = ?`).run(second);
      db.prepare('DELETE FROM import_files WHERE import_id = ? AND ordinal > 0').run(second);
      db.close();

      await station.reopen();
      await expect(stat(foreign)).rejects.toMatchObject({ code: 'ENOENT' });
      const moved = join(station.dataDir, 'quarantine', sha);
      expect(await readFile(moved)).toEqual(bytes);

      const record = await station.call('import.get', { importId: second });
      expect(record.state).toBe('failed');
      expect(record.files.map((f) => f.reasonCode)).toEqual([null, 'interrupted', 'interrupted']);
      const { entries } = await station.call('custody.list', {});
      expect(entries.map((e) => e.action)).toContain('store.quarantined');

      const report = await station.engine.check({ rehash: false });
      expect(report.problems).toEqual([expect.objectContaining({ kind: 'quarantined', sha256: sha })]);
      // Through the command line, as an admin would: a decision is required, then it is carried out.
      await station.engine.close();
      const undecided = await runCli([
        'check',
        '--resolve-quarantine',
        '1',
        '--note',
        'reviewed',
        '--data',
        station.dataDir,
      ]);
      expect(undecided.code).toBe(2);
      expect(undecided.stderr).toContain('one of --adopt, --release-to DIR or --keep');
      const kept = await runCli([
        'check', '--resolve-quarantine', '1', '--note', 'reviewed: a test file', '--keep', '--data', station.dataDir,
      ]); // prettier-ignore
      expect(kept.code, kept.stderr).toBe(0);
      expect(kept.stdout).toBe('quarantined file #1 kept\n');
      await station.reopen();
      expect((await station.engine.check({ rehash: true })).problems).toEqual([]);
      expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
    } finally {
      await station.cleanup();
    }
  });

  it('settles each quarantined file: adopted back for its item, released outside, or kept; table and folder agree', async () => {
    const station = await openStation();
    try {
      const layout = stationLayout(station.dataDir);
      const card = join(station.root, 'card');
      await makeSparseFiles(card, 2, 64 * 1024);
      const first = await station.importAndWait([card]);
      const adoptSha = first.files[0]!.sha256!;
      const foreign = ['released bytes\n', 'kept bytes\n'].map((text) => {
        const bytes = Buffer.from(text);
        return { bytes, sha: createHash('sha256').update(bytes).digest('hex') };
      });
      for (const f of foreign) {
        const path = evidencePath(layout, f.sha);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.bytes, { mode: 0o444 });
      }
      // The item of the first file is lost from the database (restored later from a backup), and a
      // run is left "running", so the next start's recovery moves all three copies to quarantine.
      const second = await station.importAndWait([card]);
      await station.engine.close();
      let saved: Record<string, unknown> = {};
      tamper(station.dataDir, (db) => {
        saved = db.prepare('SELECT * FROM items WHERE sha256 = ?').get(adoptSha) as Record<string, unknown>;
        db.prepare('DELETE FROM items WHERE sha256 = ?').run(adoptSha);
        db.prepare(`UPDATE imports SET state = 'running' WHERE id = ?`).run(second.id);
      });
      await station.reopen();
      const rows = await quarantineRows(station.dataDir);
      expect(rows.map((r) => r.sha256).sort()).toEqual([adoptSha, ...foreign.map((f) => f.sha)].sort());
      const idOf = (sha: string): number => rows.find((r) => r.sha256 === sha)!.id;
      await station.engine.close();
      tamper(station.dataDir, (db) => {
        const columns = Object.keys(saved);
        db.prepare(`INSERT INTO items (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(
          saved,
        );
      });
      await station.reopen();
      const before = (await station.engine.check({ rehash: false })).problems.map((p) => p.kind).sort();
      expect(before).toEqual(['missing', 'quarantined', 'quarantined', 'quarantined']);

      const resolve = (sha: string, decision: Parameters<typeof station.engine.resolveQuarantine>[1]) =>
        station.engine.resolveQuarantine(idOf(sha), decision, 'decided in a test', station.ctx);
      // Foreign bytes are nobody's evidence; the item's own bytes go back where the item expects them.
      await expect(resolve(foreign[0]!.sha, { action: 'adopt' })).rejects.toMatchObject({
        code: 'quarantine.notEvidence',
      });
      expect(await resolve(adoptSha, { action: 'adopt' })).toEqual({
        resolved: true,
        outcome: 'adopted',
        releasedTo: null,
      });
      const restored = await stat(evidencePath(layout, adoptSha));
      expect(restored.mode & 0o777).toBe(0o444);
      expect(await sha256File(evidencePath(layout, adoptSha))).toBe(adoptSha);

      // Never into the station's own folder; never over a file.
      await expect(resolve(foreign[0]!.sha, { action: 'release', to: station.dataDir })).rejects.toMatchObject({
        code: 'quarantine.releaseTarget',
      });
      const outside = join(station.root, 'released');
      await mkdir(outside);
      const released = await resolve(foreign[0]!.sha, { action: 'release', to: outside });
      expect(released).toMatchObject({ resolved: true, outcome: 'released' });
      expect(await readFile(released.releasedTo!)).toEqual(foreign[0]!.bytes);
      expect(dirname(released.releasedTo!)).toBe(outside);
      expect(await resolve(foreign[1]!.sha, { action: 'keep' })).toMatchObject({ outcome: 'kept' });

      expect(await listNames(join(station.dataDir, 'quarantine'))).toEqual([foreign[1]!.sha]);
      const report = await station.engine.check({ rehash: true });
      expect(report.problems).toEqual([]);
      const { entries } = await station.call('custody.list', {});
      const resolutions = entries.filter((e) => e.action === 'store.quarantineResolved');
      expect(resolutions.map((e) => e.details['outcome'])).toEqual(['adopted', 'released', 'kept']);
      expect(resolutions[0]).toMatchObject({ subject: adoptSha, sha256: adoptSha });
      expect(resolutions[1]!.details).toMatchObject({ releasedTo: released.releasedTo });
      expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });

      // A kept file that disappears, and a file nobody recorded, are both named by check.
      const quarantineFolder = join(station.dataDir, 'quarantine');
      await chmod(join(quarantineFolder, foreign[1]!.sha), 0o600);
      await unlink(join(quarantineFolder, foreign[1]!.sha));
      await writeFile(join(quarantineFolder, 'stray'), 'put here by hand\n');
      const mismatches = (await station.engine.check({ rehash: false })).problems;
      expect(mismatches).toEqual([
        expect.objectContaining({ kind: 'quarantineMismatch', path: `quarantine/${foreign[1]!.sha}` }),
        expect.objectContaining({ kind: 'quarantineMismatch', path: 'quarantine/stray' }),
      ]);
    } finally {
      await station.cleanup();
    }
  });
});

async function quarantineRows(dataDir: string): Promise<{ id: number; sha256: string }[]> {
  const { openDatabase } = await import('../../src/core/db/database');
  const db = openDatabase(join(dataDir, 'station.db'));
  try {
    return db.prepare('SELECT id, sha256 FROM quarantine ORDER BY id').all() as { id: number; sha256: string }[];
  } finally {
    db.close();
  }
}
