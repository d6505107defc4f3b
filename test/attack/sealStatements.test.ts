import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../engine/cliRunner';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeTestBag } from '../support/testBag';

/**
 * `seal/` may gain statements after sealing, outside the tag manifest. Until the verifier checks
 * them, a file planted there (a forged "approval") must not pass silently as part of an intact
 * package: the signed package is still intact, and the planted file is named as unchecked.
 */

const root = await makeTempDir('sealstmt');
afterAll(() => removeTree(root));

describe('verify: files under seal/ that the signature does not cover', { timeout: 120_000 }, () => {
  it('names each one as unchecked, in JSON and in the human output', async () => {
    const bag = await makeTestBag(join(root, 'b', 'ZF-2026-00012-v1'));
    await writeFile(join(bag.dir, 'seal/approval.txt'), 'Approved by the chief — forged\n');
    await mkdir(join(bag.dir, 'seal/sub'));
    await writeFile(join(bag.dir, 'seal/sub/receipt.json'), '{}');
    const json = await runCli(['verify', bag.dir, '--json']);
    const report = JSON.parse(json.stdout) as { ok: boolean; warnings: string[] };
    expect(report.ok).toBe(true);
    expect(report.warnings.filter((w) => w.startsWith('seal/approval.txt is not covered'))).toHaveLength(1);
    expect(report.warnings.filter((w) => w.startsWith('seal/sub/receipt.json is not covered'))).toHaveLength(1);
    const human = await runCli(['verify', bag.dir]);
    expect(human.stdout + human.stderr).toContain('warning: seal/approval.txt is not covered');
  });
});
