import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BagWriteError, writeBag } from '../../src/core/package/bagWriter';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { makeTempDir, removeTree } from '../engine/harness';
import { opensslVerifyTagManifest } from '../support/packageChecks';
import { makeTestBag, makeTestKey } from '../support/testBag';

const run = promisify(execFile);
const root = await makeTempDir('bagwriter');
afterAll(() => removeTree(root));

describe('writeBag', () => {
  it('writes a bag that sha256sum -c and the openssl command accept, byte for byte the same twice', async () => {
    const key = makeTestKey();
    const bag = await makeTestBag(join(root, 'ZF-2026-00012-v1'), { key });
    const names = (await readdir(bag.dir, { recursive: true })).sort();
    expect(names).toEqual(
      [
        'bag-info.txt',
        'bagit.txt',
        'data',
        'data/case.json',
        'data/clips',
        bag.paths.clip,
        'data/custody.jsonl',
        'data/originals',
        ...bag.paths.originals,
        'data/report.html',
        'data/report.pdf',
        'data/stills',
        bag.paths.still,
        'manifest-sha256.txt',
        'seal',
        'seal/station.pub.pem',
        'seal/tagmanifest-sha256.txt.sig',
        'tagmanifest-sha256.txt',
      ].sort(),
    );
    const sums = await run('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: bag.dir });
    expect(sums.stdout.trim().split('\n')).toHaveLength(8);
    expect(sums.stdout).not.toMatch(/FAILED/);
    const tags = await run('sha256sum', ['-c', '--strict', 'tagmanifest-sha256.txt'], { cwd: bag.dir });
    expect(tags.stdout.trim().split('\n').sort()).toEqual([
      'bag-info.txt: OK',
      'bagit.txt: OK',
      'manifest-sha256.txt: OK',
      'seal/station.pub.pem: OK',
    ]);
    expect(await opensslVerifyTagManifest(bag.dir)).toContain('Signature Verified Successfully');
    const der = await run('sh', ['-c', 'openssl pkey -pubin -in seal/station.pub.pem -outform DER | sha256sum'], {
      cwd: bag.dir,
    });
    expect(der.stdout.split(' ')[0]).toBe(key.fingerprint);

    expect(await readFile(join(bag.dir, 'bagit.txt'), 'utf8')).toBe(
      'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n',
    );
    const info = await readFile(join(bag.dir, 'bag-info.txt'), 'utf8');
    expect(info).toMatch(/^Payload-Oxum: \d+\.8$/m);
    const oxumBytes = Number(/^Payload-Oxum: (\d+)\./m.exec(info)![1]);
    expect(oxumBytes).toBe(bag.payloadBytes);
    expect(info).toContain(`Station-Key-Fingerprint: ${key.fingerprint}\n`);
    const tagManifest = await readFile(join(bag.dir, 'tagmanifest-sha256.txt'));
    expect(createHash('sha256').update(tagManifest).digest('hex')).toBe(bag.tagManifestSha256);
    const manifest = await readFile(join(bag.dir, 'manifest-sha256.txt'), 'utf8');
    const paths = manifest
      .trim()
      .split('\n')
      .map((l) => l.slice(66));
    expect(paths).toEqual([...paths].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
  });

  it('gives the same bytes for the same inputs', async () => {
    const key = makeTestKey();
    const src = join(root, 'same-src');
    await mkdir(src);
    await writeFile(join(src, 'a'), 'alpha');
    await writeFile(join(src, 'b'), 'beta');
    const opts = (dir: string) => ({
      dir,
      payload: [
        { bagPath: 'data/originals/0002_b', file: join(src, 'b') },
        { bagPath: 'data/originals/0001_a', file: join(src, 'a') },
        { bagPath: 'data/case.json', bytes: Buffer.from('{}') },
      ],
      bagInfo: [['Source-Organization', 'Office\nsecond line']] as Array<[string, string]>,
      signer: key.signer,
    });
    const a = await writeBag(opts(join(root, 'same-1')));
    const b = await writeBag(opts(join(root, 'same-2')));
    expect(a).toEqual(b);
    for (const f of [
      'bag-info.txt',
      'manifest-sha256.txt',
      'tagmanifest-sha256.txt',
      'seal/tagmanifest-sha256.txt.sig',
    ])
      expect(await readFile(join(root, 'same-1', f))).toEqual(await readFile(join(root, 'same-2', f)));
    expect(await readFile(join(root, 'same-1', 'bag-info.txt'), 'utf8')).toBe(
      'Source-Organization: Office\n  second line\nPayload-Oxum: 11.3\nBag-Size: 11 bytes\n',
    );
  });

  it('refuses a source whose hash differs, naming it, and leaves nothing behind', async () => {
    const key = makeTestKey();
    const src = join(root, 'bad-src');
    await writeFile(src, 'not what was recorded');
    const error = await writeBag({
      dir: join(root, 'bad'),
      payload: [{ bagPath: 'data/originals/0001_x.mp4', file: src, sha256: 'a'.repeat(64) }],
      bagInfo: [],
      signer: key.signer,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BagWriteError);
    expect((error as BagWriteError).kind).toBe('hashMismatch');
    expect((error as BagWriteError).message).toContain('data/originals/0001_x.mp4');
    expect((await readdir(root)).filter((n) => n.startsWith('bad'))).toEqual(['bad-src']);
  });

  it('stops on abort and removes its temporary folder', async () => {
    const key = makeTestKey();
    const controller = new AbortController();
    const src = join(root, 'abort-src');
    await writeFile(src, Buffer.alloc(64 * 1024 * 1024, 7));
    const error = await writeBag({
      dir: join(root, 'aborted'),
      payload: [{ bagPath: 'data/originals/0001_big', file: src }],
      bagInfo: [],
      signer: key.signer,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect((error as BagWriteError).kind).toBe('cancelled');
    expect((await readdir(root)).filter((n) => n.startsWith('aborted'))).toEqual([]);
  });

  it('links the sources in with linkSources: the package verifies and the source keeps its mode', async () => {
    const src = join(root, 'link-src');
    await mkdir(src);
    const sources = await Promise.all(
      [3 * 1024 * 1024 + 17, 70_001].map(async (size, i) => {
        const file = join(src, `o${i}`);
        const content = Buffer.alloc(size, i + 5);
        await writeFile(file, content);
        await chmod(file, 0o444);
        return { file, size, sha256: createHash('sha256').update(content).digest('hex') };
      }),
    );
    const bag = await makeTestBag(join(root, 'linked', 'ZF-2026-00013-v1'), {
      caseNumber: 'ZF-2026-00013',
      originalFiles: [sources[0]!, sources[1]!],
      linkSources: true,
    });
    for (const [i, path] of bag.paths.originals.entries()) {
      const [source, linked] = await Promise.all([stat(sources[i]!.file), stat(join(bag.dir, path))]);
      expect(linked.ino).toBe(source.ino);
      expect(source.nlink).toBe(2);
      expect(source.mode & 0o777).toBe(0o444);
    }
    const verdict = await verifyPackage(bag.dir, { expectFingerprint: bag.key.fingerprint });
    expect(verdict.problems).toEqual([]);
    expect(verdict.ok).toBe(true);
    const sums = await run('sha256sum', ['-c', '--strict', 'manifest-sha256.txt'], { cwd: bag.dir });
    expect(sums.stdout).not.toMatch(/FAILED/);
  });

  it('with linkSources, still refuses a source whose bytes changed, and leaves the source in place', async () => {
    const key = makeTestKey();
    const src = join(root, 'link-bad-src');
    await writeFile(src, 'recorded bytes, then changed');
    const recorded = createHash('sha256').update('recorded bytes').digest('hex');
    const error = await writeBag({
      dir: join(root, 'link-bad'),
      payload: [{ bagPath: 'data/originals/0001_x.mp4', file: src, sha256: recorded }],
      bagInfo: [],
      signer: key.signer,
      linkSources: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BagWriteError);
    expect((error as BagWriteError).kind).toBe('hashMismatch');
    expect((error as BagWriteError).message).toContain('data/originals/0001_x.mp4');
    expect((await readdir(root)).filter((n) => n.startsWith('link-bad'))).toEqual(['link-bad-src']);
    expect((await stat(src)).nlink).toBe(1);
  });

  it('refuses an existing folder, paths outside data/ and paths that meet when case is folded', async () => {
    const key = makeTestKey();
    const base = { bagInfo: [] as Array<[string, string]>, signer: key.signer };
    await expect(writeBag({ ...base, dir: root, payload: [] })).rejects.toThrow(/already exists/);
    await expect(
      writeBag({ ...base, dir: join(root, 'x1'), payload: [{ bagPath: 'data/../evil', bytes: Buffer.from('') }] }),
    ).rejects.toThrow(/under data/);
    await expect(
      writeBag({
        ...base,
        dir: join(root, 'x2'),
        payload: [
          { bagPath: 'data/A.mp4', bytes: Buffer.from('1') },
          { bagPath: 'data/a.mp4', bytes: Buffer.from('2') },
        ],
      }),
    ).rejects.toThrow(/twice/);
  });
});
