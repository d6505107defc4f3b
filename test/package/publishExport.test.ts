import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publishExport } from '../../src/core/package/publishExport';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * Giving a verified copy its name, on real files: never onto anything that is there, including
 * what appears between the look-up and the taking; the next suffix instead. Zips take the
 * hard-link path where links work, and the reservation path (FAT32, exFAT) when told links do not.
 */

const root = await makeTempDir('publish');
afterAll(() => removeTree(root));
let n = 0;

async function medium(): Promise<string> {
  const dir = join(root, `m${++n}`);
  await mkdir(dir);
  return dir;
}

describe('publishExport', () => {
  for (const hardLinks of [true, false]) {
    it(`(zip, hard links ${hardLinks ? 'on' : 'off'}) takes the free name, or the next when one appears meanwhile`, async () => {
      const dir = await medium();
      await writeFile(join(dir, '.P-v1.zip.partial-000000000001'), 'zip one');
      const reserved: string[] = [];
      const first = await publishExport({
        tmp: join(dir, '.P-v1.zip.partial-000000000001'),
        destDir: dir,
        name: 'P-v1',
        zip: true,
        hardLinks,
        onReserve: async (name) => {
          reserved.push(name);
        },
      });
      expect(first).toBe(join(dir, 'P-v1.zip'));
      expect(reserved).toEqual(['P-v1.zip']);
      expect(await readFile(first, 'utf8')).toBe('zip one');

      await writeFile(join(dir, '.P-v1.zip.partial-000000000002'), 'zip two');
      const second = await publishExport({
        tmp: join(dir, '.P-v1.zip.partial-000000000002'),
        destDir: dir,
        name: 'P-v1',
        zip: true,
        hardLinks,
        beforeTake: async (path) => {
          if (path.endsWith('P-v1_2.zip')) await writeFile(path, 'appeared meanwhile');
        },
      });
      expect(second).toBe(join(dir, 'P-v1_3.zip'));
      expect(await readFile(join(dir, 'P-v1_2.zip'), 'utf8')).toBe('appeared meanwhile');
      expect(await readFile(second, 'utf8')).toBe('zip two');
      expect((await readdir(dir)).sort()).toEqual(['P-v1.zip', 'P-v1_2.zip', 'P-v1_3.zip']);
    });
  }

  it('(folder) never onto a folder that appears meanwhile, empty or not, nor onto a file', async () => {
    const dir = await medium();
    // Taken as a zip: a folder of the same name is not used either.
    await writeFile(join(dir, 'F-v1.zip'), 'an earlier zip');
    const tmp = join(dir, '.F-v1_2.partial-000000000003');
    await mkdir(tmp);
    await writeFile(join(tmp, 'bagit.txt'), 'BagIt-Version: 1.0\n');
    const path = await publishExport({
      tmp,
      destDir: dir,
      name: 'F-v1',
      zip: false,
      beforeTake: async (p) => {
        if (p.endsWith('F-v1_2')) await mkdir(p);
        if (p.endsWith('F-v1_3')) await writeFile(p, 'a file by that name');
      },
    });
    expect(path).toBe(join(dir, 'F-v1_4'));
    expect(await readdir(join(dir, 'F-v1_2'))).toEqual([]);
    expect(await readFile(join(dir, 'F-v1_3'), 'utf8')).toBe('a file by that name');
    expect(await readFile(join(path, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\n');
    expect((await readdir(dir)).sort()).toEqual(['F-v1.zip', 'F-v1_2', 'F-v1_3', 'F-v1_4']);
  });
});
