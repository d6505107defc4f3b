import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../test/engine/harness';
import { BatchedFileStore, WRITE_QUEUE_BYTES } from './batchedFileStore';

/**
 * The upload store's write path on real files: bytes land at the offset asked for, chunk after
 * chunk in order however they are batched, the offset returned is the new end, a body that fails
 * midway loses nothing written before it, and an id that is not ours is never a path.
 */

let dir: string;
let store: BatchedFileStore;

beforeEach(async () => {
  dir = await makeTempDir('batched-store-');
  store = new BatchedFileStore({ directory: dir });
});
afterEach(async () => {
  await removeTree(dir);
});

const ID = 'a'.repeat(32);

async function created(size: number): Promise<void> {
  await store.create(new Upload({ id: ID, size, offset: 0 }));
}

/** `total` bytes in socket-sized chunks, as a request body arrives. */
function chunked(bytes: Buffer, chunk = 64 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
  return Readable.from(parts);
}

it('writes two PATCH bodies at their offsets, more than one queue each, in order', async () => {
  const bytes = randomBytes(3 * WRITE_QUEUE_BYTES + 12_345);
  const cut = WRITE_QUEUE_BYTES + 777;
  await created(bytes.length);
  expect(await store.write(chunked(bytes.subarray(0, cut)), ID, 0)).toBe(cut);
  expect(await store.write(chunked(bytes.subarray(cut), 16 * 1024 + 3), ID, cut)).toBe(bytes.length);
  expect((await readFile(`${dir}/${ID}`)).equals(bytes)).toBe(true);
});

it('leaves a body that broke off as a true prefix, and its length as the offset to resume from', async () => {
  const bytes = randomBytes(2 * 1024 * 1024);
  await created(4 * 1024 * 1024);
  const broken = new Readable({ read() {} });
  broken.push(bytes);
  setImmediate(() => broken.destroy(new Error('connection reset')));
  await expect(store.write(broken, ID, 0)).rejects.toMatchObject({ status_code: 500 });
  // What was still queued is gone with the request; what is on disk is the body's start, and
  // HEAD's offset (the file's size) is where the station resumes.
  const onDisk = await readFile(`${dir}/${ID}`);
  expect(onDisk.equals(bytes.subarray(0, onDisk.length))).toBe(true);
  expect((await store.getUpload(ID)).offset).toBe(onDisk.length);
});

it('takes no id that could name a path', async () => {
  for (const id of ['../escape', `${'a'.repeat(31)}/`, 'A'.repeat(32), '']) {
    await expect(store.write(Readable.from([Buffer.from('x')]), id, 0)).rejects.toMatchObject({ status_code: 404 });
  }
});
