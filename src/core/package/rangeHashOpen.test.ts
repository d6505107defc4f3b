import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, lstat, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { RangeHashError, RangeHashPool } from './rangeHashPool';

/**
 * The hashing workers open a file the verifier listed earlier, by name: whatever is in its place
 * by then must be refused by name of the reason, never waited on (a FIFO) or followed (a link).
 */

let dir: string;
let file: string;
const size = 2 * 1024 * 1024 + 7;

beforeEach(async () => {
  dir = await makeTempDir('rangehash-open');
  file = join(dir, 'payload.bin');
  await writeFile(file, randomBytes(size));
});

afterEach(async () => {
  await removeTree(dir);
});

async function codeOfHash(pool: RangeHashPool, job: Parameters<RangeHashPool['hash']>[0]): Promise<string | null> {
  try {
    await pool.hash(job);
    return 'hashed';
  } catch (error) {
    expect(error).toBeInstanceOf(RangeHashError);
    return (error as RangeHashError).code;
  }
}

describe.each([false, true])('a hashing worker opening a listed file (direct: %s)', (direct) => {
  it('refuses a FIFO in the file’s place without waiting on it', async () => {
    await rm(file);
    execFileSync('mkfifo', [file]);
    const pool = new RangeHashPool({ direct, workers: 1 });
    try {
      expect(await codeOfHash(pool, { path: file, start: 0, length: size, expect: { size } })).toBe('ENOTREG');
    } finally {
      await pool.close();
    }
  });

  it('does not follow a link put in the file’s place', async () => {
    const outside = join(dir, 'outside.bin');
    await copyFile(file, outside);
    await rm(file);
    await symlink(outside, file);
    const pool = new RangeHashPool({ direct, workers: 1 });
    try {
      expect(await codeOfHash(pool, { path: file, start: 0, length: size, expect: { size } })).toBe('ENOTREG');
    } finally {
      await pool.close();
    }
  });

  it('refuses another file of the same size in the listed file’s place', async () => {
    const listed = await lstat(file, { bigint: true });
    // The listed file stays on the disk under another name, so the copy cannot reuse its inode.
    const kept = join(dir, 'kept.bin');
    await rename(file, kept);
    await copyFile(kept, file);
    const pool = new RangeHashPool({ direct, workers: 1 });
    try {
      const listedFile = { size, dev: String(listed.dev), ino: String(listed.ino) };
      expect(await codeOfHash(pool, { path: file, start: 0, length: size, expect: listedFile })).toBe('EREPLACED');
      expect(await codeOfHash(pool, { path: kept, start: 0, length: size, expect: listedFile })).toBe('hashed');
    } finally {
      await pool.close();
    }
  });

  it('refuses the file when its size is not the listed one', async () => {
    const pool = new RangeHashPool({ direct, workers: 1 });
    try {
      expect(await codeOfHash(pool, { path: file, start: 0, length: size, expect: { size: size + 1 } })).toBe(
        'ECHANGED',
      );
      expect(await codeOfHash(pool, { path: file, start: 0, length: size, expect: { size } })).toBe('hashed');
    } finally {
      await pool.close();
    }
  });
});
