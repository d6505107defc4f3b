import { execFileSync } from 'node:child_process';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { ReadBackError, ReadBackHasher } from './readBack';

/**
 * The read-back opens by name a file the export wrote on a medium someone else may hold: a FIFO
 * or a link in its place is refused by name of the reason, never waited on or followed.
 */

let dir: string;

beforeEach(async () => {
  dir = await makeTempDir('readback-open');
});

afterEach(async () => {
  await removeTree(dir);
});

async function codeOfReadBack(path: string, size: number, direct: boolean): Promise<string | null> {
  const hasher = new ReadBackHasher({ direct });
  try {
    const followed = hasher.follow(path);
    followed.complete(size);
    await followed.result;
    return 'read';
  } catch (error) {
    expect(error).toBeInstanceOf(ReadBackError);
    return (error as ReadBackError).code;
  } finally {
    await hasher.close();
  }
}

describe.each([false, true])('the read-back opening a written file (direct: %s)', (direct) => {
  it('refuses a FIFO in the file’s place without waiting on it', async () => {
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    expect(await codeOfReadBack(path, 10, direct)).toBe('ENOTREG');
  });

  it('does not follow a link in the file’s place', async () => {
    const outside = join(dir, 'outside.bin');
    await writeFile(outside, Buffer.alloc(10, 1));
    const path = join(dir, 'link');
    await symlink(outside, path);
    expect(await codeOfReadBack(path, 10, direct)).toBe('ELOOP');
    expect(await codeOfReadBack(outside, 10, direct)).toBe('read');
  });
});
