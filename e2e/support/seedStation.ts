import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { SeededLibrary, SeedLibraryOptions } from '../../test/support/seedLibrary';

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SEED_TIMEOUT_MS = 120_000;

/**
 * Seeds `dataDir` with a synthetic library (test/support/seedLibrary.ts) in a tsx child process:
 * Playwright's own loader cannot import the engine. Use it from `hostSetup.beforeServe`.
 */
export async function seedStation(dataDir: string, opts: SeedLibraryOptions): Promise<SeededLibrary> {
  const { stdout } = await promisify(execFile)(
    TSX,
    [join(ROOT, 'test', 'support', 'seedLibraryMain.ts'), dataDir, JSON.stringify(opts)],
    { cwd: ROOT, timeout: SEED_TIMEOUT_MS, maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout) as SeededLibrary;
}
