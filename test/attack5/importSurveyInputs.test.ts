import { execFile } from 'node:child_process';
import { mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStation, refusalOf, type TestStation } from '../engine/harness';

/**
 * `import.survey` handed what a hostile or unlucky user can type or pick: a FIFO (whose read would
 * block for ever), a device that never ends, a symbolic link loop, a folder holding a FIFO among
 * its files, and a folder of 100,000 empty files. Each gives an answer or a named refusal, and
 * nothing is opened for reading.
 */

const run = promisify(execFile);
let station: TestStation;

beforeAll(async () => {
  station = await openStation();
});
afterAll(async () => {
  await station.cleanup();
});

describe('import.survey on hostile paths', () => {
  it('lists a FIFO as skipped without opening it, in a folder or chosen directly', async () => {
    const card = join(station.root, 'fifo-card');
    await mkdir(card);
    await run('mkfifo', [join(card, 'clip.mp4')]);
    await writeFile(join(card, 'real.mp4'), 'x');
    expect(await station.call('import.survey', { path: card })).toEqual({
      path: card,
      kind: 'folder',
      files: 1,
      bytes: 1,
      skipped: 1,
    });
    expect(await station.call('import.survey', { path: join(card, 'clip.mp4') })).toMatchObject({
      files: 0,
      bytes: 0,
      skipped: 1,
    });
  });

  it('refuses /dev/zero and /proc by name, and a symbolic link loop as a path that cannot be opened', async () => {
    for (const path of ['/dev/zero', '/proc/self/mem']) {
      expect(await refusalOf(station.call('import.survey', { path }))).toEqual({
        code: 'import.pathNotAllowed',
        params: { path },
      });
    }
    const a = join(station.root, 'loop-a');
    const b = join(station.root, 'loop-b');
    await symlink(b, a);
    await symlink(a, b);
    expect(await refusalOf(station.call('import.survey', { path: a }))).toEqual({
      code: 'import.sourceNotFound',
      params: { path: a },
    });
  });

  it('counts a folder of 100,000 empty files', async () => {
    const many = join(station.root, 'many');
    await mkdir(many);
    for (let i = 0; i < 100_000; i++) await (await open(join(many, `f${i}.mp4`), 'w')).close();
    expect(await station.call('import.survey', { path: many })).toEqual({
      path: many,
      kind: 'folder',
      files: 100_000,
      bytes: 0,
      skipped: 0,
    });
  }, 300_000);
});
