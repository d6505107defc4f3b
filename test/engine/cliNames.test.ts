import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * Hostile names through the real CLI: a file name may carry a newline or a terminal escape, and
 * the CLI must neither forge a line nor send the escape; `--json` keeps the exact name. The CLI
 * may import any readable path, but never the station's own files.
 */

const ESC_NAME = 'a\x1b[2Jb.mp4';
const FORGED_NAME = 'x\nFAKE: all files verified.mov';

let root: string;
let data: string;
let card: string;
const cli = (...args: string[]) => runCli([...args, '--data', data]);

beforeAll(async () => {
  const fx = getMediaFixtures();
  root = await makeTempDir('cli-names');
  data = join(root, 'data');
  card = join(root, 'card');
  await mkdir(card);
  await copyFile(fx.h264, join(card, ESC_NAME));
  await copyFile(fx.located, join(card, FORGED_NAME));
  expect((await cli('init', '--admin', 'admin')).code).toBe(0);
});

afterAll(async () => {
  await removeTree(root);
});

const hasEscape = (text: string) => text.includes('\x1b');

describe('names printed by the CLI', () => {
  it('escapes control characters in the import lines, and keeps them exact in --json', async () => {
    const human = await cli('import', card);
    expect(human.code).toBe(0);
    const lines = human.stderr.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(2);
    expect(hasEscape(human.stderr + human.stdout)).toBe(false);
    expect(`${human.stderr}${human.stdout}`.split('\n').some((l) => l.startsWith('FAKE'))).toBe(false);
    expect(lines.join('\n')).toContain('a\\x1b[2Jb.mp4');
    expect(lines.join('\n')).toContain('x\\nFAKE: all files verified.mov');

    const json = await cli('import', card, '--json');
    const parsed = JSON.parse(json.stdout) as { relativePath: string; status: string; id: string }[];
    expect(parsed.map((l) => [l.relativePath, l.status])).toEqual([
      [ESC_NAME, 'duplicate'],
      [FORGED_NAME, 'duplicate'],
    ]);
    expect(hasEscape(json.stderr)).toBe(false);

    const made = await cli('case', 'create', '--title', 'stall\x1b]0;owned\x07 at gate', '--json');
    const { number } = JSON.parse(made.stdout) as { number: string };
    expect((await cli('case', 'add', number, ...parsed.map((l) => l.id))).code).toBe(0);
    const shown = await cli('case', 'show', number);
    expect(shown.code).toBe(0);
    expect(hasEscape(shown.stdout) || shown.stdout.includes('\x07')).toBe(false);
    expect(shown.stdout).toContain('title   stall\\x1b]0;owned\\x07 at gate');
    expect(shown.stdout).toContain('x\\nFAKE: all files verified.mov');
    expect(shown.stdout.split('\n').some((l) => l.startsWith('FAKE'))).toBe(false);
  });

  it('refuses to import the station database, from the CLI too', async () => {
    const r = await cli('import', join(data, 'station.db'), '--include-non-media');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('import.pathInStation');
  });
});
