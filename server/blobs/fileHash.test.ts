import { createHash, randomBytes } from 'node:crypto';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../test/engine/harness';
import { INLINE_HASH_BYTES, hashFile } from './fileHash';

/**
 * The blob store's hash of a finished upload: small files on the event loop, larger ones on a
 * worker; both refuse a file that is not the regular file of the size the upload declared.
 */

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('file-hash');
});
afterAll(async () => {
  await removeTree(dir);
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('hashFile', () => {
  it.each([
    ['one byte', 1],
    ['a tag file', 4096],
    ['the largest hashed inline', INLINE_HASH_BYTES],
    ['the smallest hashed on a worker', INLINE_HASH_BYTES + 1],
  ])('hashes %s (%d bytes) as SHA-256 of its bytes', async (_name, size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `file-${size}.bin`);
    await writeFile(path, bytes);
    expect(await hashFile(path, size)).toBe(sha256(bytes));
  });

  it.each([
    ['inline', 1000],
    ['on a worker', INLINE_HASH_BYTES + 1000],
  ])('refuses a file whose size is not the one declared (%s)', async (_how, size) => {
    const path = join(dir, `short-${size}.bin`);
    await writeFile(path, randomBytes(size));
    await expect(hashFile(path, size + 1)).rejects.toThrow();
    await expect(hashFile(path, size - 1)).rejects.toThrow();
  });

  it('does not follow a symbolic link put in place of the upload', async () => {
    const target = join(dir, 'elsewhere.bin');
    const bytes = randomBytes(2000);
    await writeFile(target, bytes);
    const link = join(dir, 'link.bin');
    await symlink(target, link);
    await expect(hashFile(link, bytes.length)).rejects.toThrow();
  });
});
