import { sign, type KeyObject } from 'node:crypto';
import { chmod, cp, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MANIFEST_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_NAME,
  TAG_MANIFEST_NAME,
  formatManifest,
  parseManifest,
} from '../../../src/core/package/bagFormat';
import { listPackageFiles, sha256Of, type SealedPackage } from './sealedPackage';

/**
 * A changed copy of a sealed package, as someone between the station and the server would make
 * it: `edit` changes files in the copy; `recompute` then rewrites both manifests to match (so only
 * the signature can tell); `resignWith` also replaces the public key and signs with another key.
 */
export async function tamperedCopy(
  original: SealedPackage,
  edit: (dir: string) => Promise<void>,
  options: { recompute?: boolean; resignWith?: { privateKey: KeyObject; publicKeyPem: string } } = {},
): Promise<SealedPackage> {
  const dir = join(await mkdtemp(join(tmpdir(), 'es-tampered-')), 'bag');
  await cp(original.dir, dir, { recursive: true });
  await makeWritable(dir);
  await edit(dir);
  if (options.resignWith) await writeFile(join(dir, PUBLIC_KEY_NAME), options.resignWith.publicKeyPem);
  if (options.recompute || options.resignWith) {
    const manifest = parseManifest(await readFile(join(dir, MANIFEST_NAME), 'utf8')).entries;
    const payload = await Promise.all(
      manifest.map(async (e) => ({ path: e.path, sha256: await sha256Of(join(dir, e.path)) })),
    );
    await writeFile(join(dir, MANIFEST_NAME), formatManifest(payload));
    const tags = parseManifest(await readFile(join(dir, TAG_MANIFEST_NAME), 'utf8')).entries;
    const tagged = await Promise.all(
      tags.map(async (e) => ({ path: e.path, sha256: await sha256Of(join(dir, e.path)) })),
    );
    await writeFile(join(dir, TAG_MANIFEST_NAME), formatManifest(tagged));
  }
  if (options.resignWith)
    await writeFile(
      join(dir, SIGNATURE_NAME),
      sign(null, await readFile(join(dir, TAG_MANIFEST_NAME)), options.resignWith.privateKey),
    );
  const files = await listPackageFiles(dir);
  return {
    ...original,
    dir,
    files,
    tagManifestSha256: files.find((f) => f.path === TAG_MANIFEST_NAME)!.sha256,
  };
}

/** Flips one bit of the byte at `offset` (a negative offset counts from the end); the size stays. */
export async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at] = bytes[at]! ^ 0x01;
  await writeFile(path, bytes);
}

/** The sealed package is read-only (0444 files, 0555 folders); its copy must not be. */
async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    await chmod(join(e.parentPath, e.name), e.isDirectory() ? 0o755 : 0o644);
  }
}
