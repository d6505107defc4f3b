import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { sha256File } from '../engine/harness';

/**
 * Checks a test makes on a package folder with tools that share no code with the station, as a
 * clerk or an expert would: openssl on the signature, and every file's SHA-256 where a test
 * claims "byte for byte the same".
 */

const run = promisify(execFile);

/**
 * openssl's answer on `seal/tagmanifest-sha256.txt.sig` in `bagDir`, by the command the report
 * prints; it rejects when openssl finds the signature bad.
 */
export async function opensslVerifyTagManifest(bagDir: string): Promise<string> {
  const { stdout } = await run(
    'openssl',
    [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      'seal/station.pub.pem',
      '-rawin',
      '-in',
      'tagmanifest-sha256.txt',
      '-sigfile',
      'seal/tagmanifest-sha256.txt.sig',
    ],
    { cwd: bagDir },
  );
  return stdout;
}

/** SHA-256 of every file below `dir`, by its path relative to `dir`. */
export async function fileHashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = await sha256File(path);
  }
  return out;
}
