import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BagWriteError, writeBag, type PayloadSource } from '../../src/core/package/bagWriter';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeTestKey } from '../support/testBag';

/**
 * A generated payload file still in the making (the seal's report, rendered while the stored
 * files are hashed): the bag waits for it, writes the same bytes as if it had been there from the
 * start, and fails whole, leaving nothing, if it never comes.
 */

const root = await makeTempDir('bagwriter-late');
afterAll(() => removeTree(root));

const key = makeTestKey();
const source = join(root, 'original.bin');
await writeFile(source, randomBytes(3_000_000));
const report = randomBytes(200_000);
const bagInfo: Array<[string, string]> = [['Bagging-Date', '2026-03-14']];

function payload(reportBytes: Buffer | Promise<Buffer>): PayloadSource[] {
  return [
    { bagPath: 'data/originals/0001_original.bin', file: source },
    { bagPath: 'data/case.json', bytes: Buffer.from('{}\n') },
    { bagPath: 'data/report.pdf', bytes: reportBytes },
  ];
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile());
  const out = new Map<string, Buffer>();
  for (const d of names) {
    const path = join(d.parentPath, d.name);
    out.set(path.slice(dir.length + 1), await readFile(path));
  }
  return out;
}

describe('writeBag with bytes still in the making', () => {
  it('writes the same bag as with the bytes at hand, once they come', async () => {
    const now = await writeBag({ dir: join(root, 'now'), payload: payload(report), bagInfo, signer: key.signer });
    let give: (b: Buffer) => void = () => undefined;
    const later = new Promise<Buffer>((resolve) => {
      give = resolve;
    });
    const progress: Array<[number, number]> = [];
    const pending = writeBag({
      dir: join(root, 'later'),
      payload: payload(later),
      bagInfo,
      signer: key.signer,
      // The report arrives once the original is hashed: the bag cannot have waited for it first.
      onProgress: (done, total) => {
        progress.push([done, total]);
        if (done >= 3_000_000) give(report);
      },
    });
    const result = await pending;
    expect(result).toEqual(now);
    expect(await filesOf(join(root, 'later'))).toEqual(await filesOf(join(root, 'now')));
    expect(progress.at(-1)).toEqual([result.payloadBytes, result.payloadBytes]);
  });

  it('fails whole when they never come, leaving nothing', async () => {
    const error = await writeBag({
      dir: join(root, 'failed'),
      payload: payload(Promise.reject(new Error('the report could not be laid out'))),
      bagInfo,
      signer: key.signer,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BagWriteError);
    expect((error as BagWriteError).message).toContain('the report could not be laid out');
    expect((await readdir(root)).filter((n) => n.startsWith('failed'))).toEqual([]);
  });

  it('stops waiting for them when cancelled, leaving nothing', async () => {
    const controller = new AbortController();
    const error = await writeBag({
      dir: join(root, 'cancelled'),
      payload: payload(new Promise<Buffer>(() => undefined)),
      bagInfo,
      signer: key.signer,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 3_000_000) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect((error as BagWriteError).kind).toBe('cancelled');
    expect((await readdir(root)).filter((n) => n.startsWith('cancelled'))).toEqual([]);
  });
});
