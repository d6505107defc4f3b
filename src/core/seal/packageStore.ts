import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { StationLayout } from '../store/layout';
import { safeFileName } from '../package/payloadNames';

/**
 * Sealed packages live in `<data>/packages/<case number>-v<version>/`, read-only. A folder there
 * is a sealed package only when a `case_versions` row names it: the row is committed after the
 * folder is complete, so a crash between the two leaves a folder no row names, which was never
 * reported as sealed. The next start moves it to quarantine rather than deleting it (it cannot
 * prove the folder is its own), and removes only writeBag's `.partial-…` temp folders
 * (`packageRecovery.ts`).
 */

export function packagesDir(layout: StationLayout): string {
  return join(layout.root, 'packages');
}

export function packageDir(layout: StationLayout, packageName: string): string {
  return join(packagesDir(layout), packageName);
}

/**
 * The package's folder name: `<case number>-v<version>` made one safe name. A case number comes
 * from an admin's format and may hold `/` (`{STATION}/{YYYY}/{SEQ}`), `..`, control characters or
 * a station name with any of them; none of that may reach a path, here or on the medium. When two
 * case numbers come out the same (`a/b-1` and `a_b-1`), or differ only by case (which Windows and
 * macOS fold), the later one gets `_2`, `_3`, …: a name a sealed version holds is never reused,
 * because the seal clears whatever unsealed folder has its name.
 */
export function packageNameOf(caseNumber: string, version: number, taken: ReadonlySet<string> = new Set()): string {
  const suffix = `-v${version}`;
  const base = safeFileName(caseNumber, 100);
  const folded = new Set([...taken].map((n) => n.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = `${n === 1 ? base : `${base}_${n}`}${suffix}`;
    if (!folded.has(name.toLowerCase())) return name;
  }
}

/** Makes every file 0444 and every folder 0555: a sealed package is never written again. */
export async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeReadOnly(path);
    else await chmod(path, 0o444);
  }
  await chmod(dir, 0o555);
}

async function makeRemovable(dir: string): Promise<void> {
  await chmod(dir, 0o755).catch(() => undefined);
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) await makeRemovable(join(dir, entry.name));
  }
}

/** Removes a package folder that no sealed version names (read-only folders included). */
export async function removeUnsealedPackage(path: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  if (!info) return;
  if (info.isDirectory()) await makeRemovable(path);
  await rm(path, { recursive: true, force: true });
}
