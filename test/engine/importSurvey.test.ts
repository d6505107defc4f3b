import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSparseFile, openStation, refusalOf, type TestStation } from './harness';

/**
 * `import.survey`: the import dialog checks each path as it is added (issue 11 §4: a wrong path
 * was accepted into the list and failed only at Start, with an error that did not name it) and
 * shows how many files and bytes it holds before Start.
 */

let station: TestStation | null = null;

afterEach(async () => {
  await station?.cleanup();
  station = null;
});

describe('import.survey', () => {
  it('counts the files and bytes a folder holds, and what it would skip', async () => {
    const s = (station = await openStation());
    const card = join(s.root, 'card');
    await mkdir(join(card, 'DCIM', '100MEDIA'), { recursive: true });
    await writeFile(join(card, 'DCIM', '100MEDIA', 'a.mp4'), Buffer.alloc(1000));
    await writeFile(join(card, 'DCIM', '100MEDIA', 'b.mp4'), Buffer.alloc(2500));
    await makeSparseFile(join(card, 'big.mts'), 5 * 1024 ** 3);
    await symlink(join(card, 'big.mts'), join(card, 'link.mts'));

    expect(await s.call('import.survey', { path: card })).toEqual({
      path: card,
      kind: 'folder',
      files: 3,
      bytes: 1000 + 2500 + 5 * 1024 ** 3,
      skipped: 1,
    });
    expect(await s.call('import.survey', { path: join(card, 'DCIM', '100MEDIA', 'b.mp4') })).toMatchObject({
      kind: 'file',
      files: 1,
      bytes: 2500,
    });
  });

  it('refuses a wrong path with the error import.start would give, naming the path', async () => {
    const s = (station = await openStation());
    const missing = join(s.root, 'no-such-card');
    expect(await refusalOf(s.call('import.survey', { path: missing }))).toEqual({
      code: 'import.sourceNotFound',
      params: { path: missing },
    });
    expect(await refusalOf(s.call('import.start', { paths: [missing] }))).toEqual({
      code: 'import.sourceNotFound',
      params: { path: missing },
    });
    expect(await refusalOf(s.call('import.survey', { path: 'DCIM/100MEDIA' }))).toMatchObject({
      code: 'import.sourceNotAbsolute',
      params: { path: 'DCIM/100MEDIA' },
    });
    expect((await refusalOf(s.call('import.survey', { path: s.dataDir }))).code).toBe('import.pathInStation');
  });
});
