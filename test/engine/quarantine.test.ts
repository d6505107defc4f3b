import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeSparseFiles, openStation } from './harness';
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
      expect(await station.engine.resolveQuarantine(1, 'reviewed: a test file', station.ctx)).toEqual({
        resolved: true,
      });
      expect((await station.engine.check({ rehash: true })).problems).toEqual([]);
      expect(await station.call('custody.verify', {})).toMatchObject({ ok: true });
    } finally {
      await station.cleanup();
    }
  });
});
