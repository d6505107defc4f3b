import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { CommitFile } from '../../shared/syncProtocol';
import { MANIFEST_NAME, TAG_MANIFEST_NAME, isSafeBagPath, parseManifest } from '../package/bagFormat';

/**
 * Every file of a sealed package folder with its SHA-256 and size: what the commit lists and what
 * is uploaded. The hashes come from the package's own manifests (the seal hashed every file from
 * the disk), so a 2 GB case is not read once more before it is sent; the few files no manifest
 * covers (the tag manifest, its signature) are small and hashed here. A file that no longer holds
 * what its manifest says is caught by the server, which hashes every finished upload.
 */

export class PackageUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageUnreadableError';
  }
}

async function walk(root: string, rel: string, out: Array<{ path: string; size: number }>): Promise<void> {
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(root, path, out);
    else if (entry.isFile()) out.push({ path, size: (await lstat(join(root, path))).size });
    else throw new PackageUnreadableError(`${path} in the sealed package is not a regular file`);
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

export async function listPackageFiles(dir: string, tagManifestSha256: string): Promise<CommitFile[]> {
  const found: Array<{ path: string; size: number }> = [];
  try {
    await walk(dir, '', found);
  } catch (error) {
    if (error instanceof PackageUnreadableError) throw error;
    throw new PackageUnreadableError(`the sealed package cannot be read: ${(error as Error).message}`);
  }
  const known = new Map<string, string>();
  for (const name of [MANIFEST_NAME, TAG_MANIFEST_NAME]) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) throw new PackageUnreadableError(`the sealed package has no ${name}`);
    for (const e of parseManifest(text).entries) known.set(e.path, e.sha256);
  }
  const files: CommitFile[] = [];
  for (const f of found) {
    if (!isSafeBagPath(f.path)) throw new PackageUnreadableError(`${f.path} is not a package path`);
    const sha256 = known.get(f.path) ?? (await hashFile(join(dir, ...f.path.split('/'))));
    files.push({ path: f.path, sha256, size: f.size });
  }
  const tagManifest = files.find((f) => f.path === TAG_MANIFEST_NAME);
  if (tagManifest?.sha256 !== tagManifestSha256)
    throw new PackageUnreadableError(
      `the package's tag manifest hashes to ${tagManifest?.sha256 ?? 'nothing'}, not the sealed ${tagManifestSha256}`,
    );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;
}
