import { createHash, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/engine/harness';
import { flipByte } from './test/tamper';
import { HashingFileStore } from './hashingFileStore';

/**
 * The running hash on real files: it is handed out only when every byte of the file went through
 * it in order and nothing else touched the file between this store's writes; in every other case
 * the caller reads the file again (null), which is slower but never wrong.
 */

let dir: string;
let store: HashingFileStore;
let n = 0;

beforeEach(async () => {
  dir = await makeTempDir('hashing-store');
  store = new HashingFileStore({ directory: dir });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function created(size: number): Promise<string> {
  const id = `upload${++n}`;
  await store.create(new Upload({ id, size, offset: 0 }));
  return id;
}

function sha256(...parts: Buffer[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** A request body that delivers `bytes` and then fails, as a dropped connection does. */
function failingAfter(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes);
      } else this.destroy(new Error('connection reset'));
    },
  });
}

describe('HashingFileStore', () => {
  it('gives the SHA-256 of an upload written in several requests, equal to the file read again', async () => {
    const a = randomBytes(300_000);
    const b = randomBytes(200_001);
    const id = await created(a.length + b.length);
    expect(await store.write(Readable.from([a]), id, 0)).toBe(a.length);
    expect(await store.write(Readable.from([b.subarray(0, 1000), b.subarray(1000)]), id, a.length)).toBe(
      a.length + b.length,
    );
    const hash = await store.takeHash(id, a.length + b.length);
    expect(hash).toBe(sha256(a, b));
    expect(hash).toBe(sha256(await readFile(join(dir, id))));
    // Taken once.
    expect(await store.takeHash(id, a.length + b.length)).toBeNull();
  });

  it('gives none when the file was changed between two of its writes (same size, same inode)', async () => {
    const a = randomBytes(100_000);
    const b = randomBytes(100_000);
    const id = await created(200_000);
    await store.write(Readable.from([a]), id, 0);
    await flipByte(join(dir, id), 10);
    await store.write(Readable.from([b]), id, a.length);
    expect(await store.takeHash(id, 200_000)).toBeNull();
  });

  it('gives none when the file was changed after its last write', async () => {
    const a = randomBytes(100_000);
    const id = await created(a.length);
    await store.write(Readable.from([a]), id, 0);
    await flipByte(join(dir, id), -1);
    expect(await store.takeHash(id, a.length)).toBeNull();
  });

  it('gives none after a write that failed midway, though the bytes that arrived are kept', async () => {
    const a = randomBytes(64_000);
    const b = randomBytes(64_000);
    const id = await created(a.length * 3);
    await store.write(Readable.from([a]), id, 0);
    await expect(store.write(failingAfter(b), id, a.length)).rejects.toBeTruthy();
    const rest = randomBytes(a.length * 3 - a.length - b.length);
    const upload = await store.getUpload(id);
    const tail = Buffer.concat([b, rest]).subarray(upload.offset - a.length);
    await store.write(Readable.from([tail]), id, upload.offset);
    expect(await store.takeHash(id, a.length * 3)).toBeNull();
  });

  it('gives none when a write does not continue where its own last one ended (another instance wrote)', async () => {
    const a = randomBytes(50_000);
    const id = await created(150_000);
    await store.write(Readable.from([a]), id, 0);
    // Another process sharing the folder appends the next part.
    const other = new HashingFileStore({ directory: dir });
    await other.write(Readable.from([randomBytes(50_000)]), id, 50_000);
    await store.write(Readable.from([randomBytes(50_000)]), id, 100_000);
    expect(await store.takeHash(id, 150_000)).toBeNull();
    expect(await other.takeHash(id, 150_000)).toBeNull();
  });

  it('gives none for a size other than what was hashed, and forgets a removed upload', async () => {
    const a = randomBytes(10_000);
    const id = await created(20_000);
    await store.write(Readable.from([a]), id, 0);
    expect(await store.takeHash(id, 20_000)).toBeNull();
    const id2 = await created(a.length);
    await store.write(Readable.from([a]), id2, 0);
    await store.remove(id2);
    expect(await store.takeHash(id2, a.length)).toBeNull();
  });
});
