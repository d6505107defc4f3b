import { appendFile, cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeTestBag, resign } from '../support/testBag';

/**
 * Labels repeated in bag-info.txt and bagit.txt, in a bag its own key signed (so only the repeat
 * can be wrong): RFC 8493 forbids a second `Payload-Oxum` and advises against a second
 * `Bagging-Date`; a second value of a label `verify` reads (the case, the key, the chain head)
 * would let another reader see something else than what was checked. Those are problems; a label
 * the RFC lets repeat is a warning.
 */

const root = await makeTempDir('baginfo-repeats');
afterAll(() => removeTree(root));
const bag = await makeTestBag(join(root, 'sealed', 'ZF-2026-00012-v1'));

async function variant(name: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, name, 'ZF-2026-00012-v1');
  await cp(bag.dir, dir, { recursive: true });
  await edit(dir);
  await resign(dir, bag.key);
  return dir;
}

const problemsOf = async (dir: string) =>
  (await verifyPackage(dir)).problems.map((p) => `${p.kind} ${p.path}: ${p.detail}`);

describe('repeated labels', { timeout: 120_000 }, () => {
  it('a second Payload-Oxum, Bagging-Date or External-Identifier is a format problem, even when the first is right', async () => {
    const info = await readFile(join(bag.dir, 'bag-info.txt'), 'utf8');
    for (const [label, value] of [
      ['Payload-Oxum', '1.1'],
      ['Bagging-Date', '1999-01-01'],
      ['External-Identifier', 'ZF-2026-99999 v7'],
      ['custody-chain-head', `1 ${'0'.repeat(64)}`],
    ] as const) {
      const dir = await variant(`twice-${label}`, (d) => appendFile(join(d, 'bag-info.txt'), `${label}: ${value}\n`));
      expect(await readFile(join(dir, 'bag-info.txt'), 'utf8')).toBe(`${info}${label}: ${value}\n`);
      const problems = await problemsOf(dir);
      expect(problems, label).toEqual([
        expect.stringMatching(new RegExp(`^format bag-info.txt: ${label} is given 2 times`, 'i')),
      ]);
    }
  });

  it('a label RFC 8493 lets repeat is a warning, and the package stays intact', async () => {
    const dir = await variant('contact', (d) =>
      appendFile(join(d, 'bag-info.txt'), 'Contact-Name: Li Wei\nContact-Name: Zhang Min\n'),
    );
    const report = await verifyPackage(dir);
    expect(report.problems).toEqual([]);
    expect(report.warnings).toContain('bag-info.txt gives Contact-Name 2 times (RFC 8493 allows this).');
  });

  it('bagit.txt holds each of its two lines once', async () => {
    const dir = await variant('bagit', (d) =>
      writeFile(join(d, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nBagIt-Version: 0.97\n'),
    );
    expect(await problemsOf(dir)).toEqual([expect.stringMatching(/^format bagit.txt: BagIt-Version is given 2 times/)]);
  });
});
