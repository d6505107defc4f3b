import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVAL_WORKER_HELPERS } from '../../src/core/workers/evalWorkerSource';

/**
 * The worker threads that start from source text (hashing, read-back, HEIC decoding; and the
 * media tools' process launcher, a child process run as `node -e`) as the
 * build compiles them: an ES module bundle rewrites `require` to a helper of its own, which a
 * worker started from a string does not have. A build whose hashing worker failed that way made
 * the server take every large blob for damaged and move it aside, over and over.
 */

const root = resolve(__dirname, '../..');
let dir: string;
let entry: string;

beforeAll(async () => {
  // Inside the checkout, so the bundle's bare imports of packages resolve from its node_modules.
  await mkdir(join(root, 'out'), { recursive: true });
  dir = await mkdtemp(join(root, 'out', 'eval-workers-'));
  const source = join(dir, 'entry.ts');
  await writeFile(
    source,
    [
      `import { rangeHashWorkerSource } from '${root}/src/core/package/rangeHashWorkerMain';`,
      `import { readBackWorkerSource } from '${root}/src/core/package/readBackWorkerMain';`,
      `import { heifWorkerSource } from '${root}/src/core/media/derive/heifWorkerMain';`,
      `import { processLauncherSource } from '${root}/src/core/media/tools/processLauncherMain';`,
      `import { hashFile } from '${root}/server/blobs/fileHash';`,
      `const [, , file, size] = process.argv;`,
      `const sources = { rangeHash: rangeHashWorkerSource(), readBack: readBackWorkerSource(), heif: heifWorkerSource(), processLauncher: processLauncherSource() };`,
      `hashFile(file, Number(size)).then(`,
      `  (sha256) => console.log(JSON.stringify({ sources, sha256 })),`,
      `  (error) => console.log(JSON.stringify({ sources, error: String(error) })),`,
      `);`,
    ].join('\n'),
  );
  entry = join(dir, 'entry.mjs');
  // The options of scripts/buildNode.mjs that shape the code: one ES module bundle for Node.
  await build({
    entryPoints: [source],
    outfile: entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('worker sources in the build', () => {
  it('use no compiler helper the worker does not define, and the hashing worker hashes', async () => {
    const bytes = randomBytes(6 * 1024 * 1024);
    const file = join(dir, 'data.bin');
    await writeFile(file, bytes);
    const { stdout } = await promisify(execFile)(process.execPath, [entry, file, String(bytes.length)]);
    const out = JSON.parse(stdout) as { sources: Record<string, string>; sha256?: string; error?: string };
    for (const [name, text] of Object.entries(out.sources)) {
      const used = new Set(text.match(/(?<![@\w])__[A-Za-z]\w*/g) ?? []);
      expect(
        [...used].filter((id) => !(EVAL_WORKER_HELPERS as readonly string[]).includes(id)),
        name,
      ).toEqual([]);
    }
    expect(out.error).toBeUndefined();
    expect(out.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
