import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckProblem } from '../../shared/custodySchemas';
import type { ReadableDB } from '../db/database';
import type { StationLayout } from '../store/layout';
import { quarantineDir } from '../store/quarantine';

/**
 * The quarantine table and the `quarantine/` folder name the same files: a row that is open or
 * kept has its file there; a row adopted or released does not; every file there has such a row.
 */
export async function quarantineAgreement(db: ReadableDB, layout: StationLayout): Promise<CheckProblem[]> {
  const rows = db.prepare('SELECT id, file, resolved_at AS resolvedAt, outcome FROM quarantine ORDER BY id').all() as {
    id: number;
    file: string;
    resolvedAt: string | null;
    outcome: string | null;
  }[];
  const names = new Set(await readdir(quarantineDir(layout)).catch(() => [] as string[]));
  const problems: CheckProblem[] = [];
  const found = (path: string, detail: string): void => {
    problems.push({ kind: 'quarantineMismatch', sha256: null, itemId: null, seq: null, path, detail });
  };
  const accounted = new Set<string>();
  for (const row of rows) {
    const name = row.file.startsWith('quarantine/') ? row.file.slice('quarantine/'.length) : row.file;
    const shouldBeThere = row.resolvedAt === null || row.outcome === 'kept' || row.outcome === null;
    const isThere = names.has(name);
    if (isThere) accounted.add(name);
    if (shouldBeThere && !isThere) found(row.file, `quarantined file #${row.id} is not in the quarantine folder`);
    if (!shouldBeThere && isThere) {
      found(
        row.file,
        `quarantined file #${row.id} was ${row.outcome ?? 'resolved'} but is still in the quarantine folder`,
      );
    }
  }
  for (const name of [...names].sort()) {
    if (!accounted.has(name))
      found(join('quarantine', name), 'a file in the quarantine folder that no quarantine record names');
  }
  return problems;
}
