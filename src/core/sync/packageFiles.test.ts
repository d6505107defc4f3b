import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { PackageUnreadableError, listPackageFiles } from './packageFiles';

/**
 * The file list a commit sends: every file of the package folder with the hash its manifests
 * record (the seal hashed them; the server hashes every upload again), the two files no manifest
 * covers hashed here, sorted by path; a tag manifest that is not the sealed one is refused.
 */

let dir: string | null = null;
afterEach(async () => {
  if (dir) await removeTree(dir);
  dir = null;
});

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');

async function bag(root: string, payload: Record<string, string>): Promise<string> {
  await mkdir(join(root, 'data', 'originals'), { recursive: true });
  await mkdir(join(root, 'seal'), { recursive: true });
  for (const [p, text] of Object.entries(payload)) await writeFile(join(root, ...p.split('/')), text);
  const manifest = Object.entries(payload)
    .map(([p, text]) => `${sha(text)}  ${p}\n`)
    .join('');
  await writeFile(join(root, 'manifest-sha256.txt'), manifest);
  await writeFile(join(root, 'bagit.txt'), 'BagIt-Version: 1.0\n');
  await writeFile(join(root, 'seal', 'station.pub.pem'), 'pem');
  const tag = `${sha('BagIt-Version: 1.0\n')}  bagit.txt\n${sha(manifest)}  manifest-sha256.txt\n${sha('pem')}  seal/station.pub.pem\n`;
  await writeFile(join(root, 'tagmanifest-sha256.txt'), tag);
  await writeFile(join(root, 'seal', 'tagmanifest-sha256.txt.sig'), 'sig');
  return sha(tag);
}

describe('listPackageFiles', () => {
  it('lists every file with its manifest hash and size, sorted', async () => {
    dir = await makeTempDir('pkgfiles');
    const tagSha = await bag(dir, { 'data/originals/0001_a.bin': 'aaaa', 'data/case.json': '{}' });
    const files = await listPackageFiles(dir, tagSha);
    expect(files.map((f) => f.path)).toEqual([
      'bagit.txt',
      'data/case.json',
      'data/originals/0001_a.bin',
      'manifest-sha256.txt',
      'seal/station.pub.pem',
      'seal/tagmanifest-sha256.txt.sig',
      'tagmanifest-sha256.txt',
    ]);
    expect(files.find((f) => f.path === 'data/originals/0001_a.bin')).toEqual({
      path: 'data/originals/0001_a.bin',
      sha256: sha('aaaa'),
      size: 4,
    });
    expect(files.find((f) => f.path === 'seal/tagmanifest-sha256.txt.sig')?.sha256).toBe(sha('sig'));
    expect(files.find((f) => f.path === 'tagmanifest-sha256.txt')?.sha256).toBe(tagSha);
  });

  it('refuses a package whose tag manifest is not the sealed one', async () => {
    dir = await makeTempDir('pkgfiles');
    await bag(dir, { 'data/case.json': '{}' });
    await expect(listPackageFiles(dir, 'e'.repeat(64))).rejects.toBeInstanceOf(PackageUnreadableError);
    await expect(listPackageFiles(join(dir, 'missing'), 'e'.repeat(64))).rejects.toBeInstanceOf(PackageUnreadableError);
  });
});
