import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckProblem } from '../../shared/custodySchemas';
import type { StationLayout } from '../store/layout';

/**
 * The parts of a data directory that only the station's OS user may open: the directory and its
 * folders (0700), and the database, the chain head, the checkpoint and the private key files (0600).
 * Stored evidence is read-only (0444) inside those folders, which is what keeps others out.
 */
async function guardedPaths(layout: StationLayout): Promise<string[]> {
  const root = layout.root;
  const keysDir = join(root, 'keys');
  // The public key is public (it goes into every package); its 0700 folder is what keeps it here.
  const keyFiles = (await readdir(keysDir).catch(() => [] as string[]))
    .filter((name) => name !== 'station.pub.pem')
    .map((name) => join('keys', name));
  return [
    '.',
    'evidence',
    'derived',
    'tmp',
    'logs',
    'keys',
    'station.db',
    'station.db-wal',
    'station.db-shm',
    'custody-head.json',
    'custody-checkpoint.json',
    ...keyFiles,
  ];
}

/** Files and folders of the data directory that group or others may open. */
export async function looseModes(layout: StationLayout): Promise<(CheckProblem & { path: string })[]> {
  const out: (CheckProblem & { path: string })[] = [];
  for (const rel of await guardedPaths(layout)) {
    const info = await lstat(join(layout.root, rel)).catch(() => null);
    if (!info || info.isSymbolicLink()) continue;
    const mode = info.mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    out.push({
      kind: 'looseMode',
      sha256: null,
      itemId: null,
      seq: null,
      path: rel,
      detail: `mode ${mode.toString(8).padStart(4, '0')}: group or others may open it (want ${info.isDirectory() ? '0700' : '0600'})`,
    });
  }
  return out;
}

/** Takes group and other permissions off every guarded path; returns the paths it changed. */
export async function repairModes(layout: StationLayout): Promise<string[]> {
  const repaired: string[] = [];
  for (const problem of await looseModes(layout)) {
    const path = join(layout.root, problem.path);
    const info = await lstat(path);
    await chmod(path, info.mode & 0o700);
    repaired.push(problem.path);
  }
  return repaired;
}
