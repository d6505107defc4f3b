import Database from 'better-sqlite3';
import { chmod, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';
import { appendOutside, newestSeq, tamper } from './tamper';

/**
 * The reproductions of issue 10, section 2, with the real CLI in child processes: read-only
 * commands need no password and append nothing; removed newest entries fail `log verify` (naming
 * them) and `check`; an entry whose item row and file were deleted fails both; a head left behind
 * by a crash is a note, not a failure.
 */

let root: string;
let source: string;
beforeAll(async () => {
  root = await makeTempDir('chain-cli');
  source = join(root, 'source');
  await mkdir(source);
  await writeFile(join(source, 'a.txt'), 'first statement\n');
  await writeFile(join(source, 'b.txt'), 'second statement\n');
});
afterAll(async () => {
  await removeTree(root);
});

/** A data directory set up and with two imported items, through the CLI. */
async function newStation(
  name: string,
): Promise<{ data: string; cli: (...args: string[]) => ReturnType<typeof runCli> }> {
  const data = join(root, name);
  const cli = (...args: string[]) => runCli([...args, '--data', data]);
  expect((await cli('init', '--admin', 'admin')).code).toBe(0);
  const imported = await cli('import', source, '--include-non-media', '--json');
  expect(imported.code, imported.stderr).toBe(0);
  return { data, cli };
}

/** Several CLI processes per test, each a few seconds on a loaded machine. */
const LONG = 300_000;

/** Without a password in the environment (stdin is not a terminal): a sign-in would refuse. */
const NO_PASSWORD = { STATION_PASSWORD: '' };

describe('read-only commands', () => {
  it(
    'need no password and append nothing; the head file is left as it was',
    async () => {
      const { data } = await newStation('readonly');
      const before = newestSeq(data);
      const head = await readFile(join(data, 'custody-head.json'), 'utf8');
      for (const args of [['log', 'show'], ['log', 'verify'], ['check'], ['log', 'show', '--json']]) {
        const r = await runCli([...args, '--data', data], NO_PASSWORD);
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      expect(newestSeq(data)).toBe(before);
      expect(await readFile(join(data, 'custody-head.json'), 'utf8')).toBe(head);
      // A command that changes something still asks for the password.
      const write = await runCli(['import', source, '--data', data], NO_PASSWORD);
      expect(write.code).toBe(2);
      expect(write.stderr).toMatch(/no password/);
    },
    LONG,
  );
});

describe('removed newest entries', () => {
  it(
    'fail log verify, naming the missing seqs, and check; the head is not moved back',
    async () => {
      const { data, cli } = await newStation('truncated');
      const n = newestSeq(data);
      const head = await readFile(join(data, 'custody-head.json'), 'utf8');
      tamper(data, (db) => db.prepare('DELETE FROM custody WHERE seq > ?').run(n - 2));

      const verify = await cli('log', 'verify', '--json');
      expect(verify.code, verify.stderr).toBe(1);
      const verdict = JSON.parse(verify.stdout) as { ok: boolean; firstBroken: number; problem: string };
      expect(verdict).toMatchObject({ ok: false, firstBroken: n - 1 });
      expect(verdict.problem).toContain(`${n - 1}–${n}`);
      const human = await cli('log', 'verify');
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(new RegExp(`entriesRemoved entries ${n - 1}-${n}`));
      expect((await cli('check')).code).toBe(1);
      expect(await readFile(join(data, 'custody-head.json'), 'utf8')).toBe(head);
      // Commands that append reuse the removed seqs; the head only moves on once the chain has grown
      // past the lost entry, never back, and the recorded problem stays.
      expect((await cli('import', source, '--include-non-media')).code).toBe(0);
      const after = JSON.parse(await readFile(join(data, 'custody-head.json'), 'utf8')) as { seq: number };
      expect(after.seq).toBeGreaterThanOrEqual(n);
      const still = await cli('log', 'verify');
      expect(still.code).toBe(1);
      expect(still.stdout).toContain(`${n - 1}–${n}`);
    },
    LONG,
  );
});

describe('a deleted item row and its stored file', () => {
  it(
    'fail check and log verify, naming the item and the entry that created it',
    async () => {
      const { data, cli } = await newStation('item-deleted');
      const db = new Database(join(data, 'station.db'), { readonly: true });
      const victim = db.prepare('SELECT id, sha256, custody_seq AS seq FROM items ORDER BY rowid LIMIT 1').get() as {
        id: string;
        sha256: string;
        seq: number;
      };
      db.close();
      tamper(data, (raw) => raw.prepare('DELETE FROM items WHERE id = ?').run(victim.id));
      const stored = join(
        data,
        'evidence',
        'sha256',
        victim.sha256.slice(0, 2),
        victim.sha256.slice(2, 4),
        victim.sha256,
      );
      await chmod(dirname(stored), 0o700);
      await unlink(stored);

      const check = await cli('check', '--json');
      expect(check.code).toBe(1);
      const report = JSON.parse(check.stdout) as { problems: { kind: string; itemId: string; seq: number }[] };
      expect(report.problems).toContainEqual(
        expect.objectContaining({ kind: 'entryWithoutItem', itemId: victim.id, seq: victim.seq }),
      );
      const verify = await cli('log', 'verify');
      expect(verify.code).toBe(1);
      expect(verify.stdout).toContain(victim.id);
    },
    LONG,
  );
});

describe('a crash between a commit and the head write', () => {
  it(
    'is a note, told apart from truncation; log verify passes',
    async () => {
      const { data, cli } = await newStation('crash-gap');
      const n = newestSeq(data);
      tamper(data, (db) => appendOutside(db, 2));
      const verify = await cli('log', 'verify', '--json');
      expect(verify.code, verify.stdout).toBe(0);
      expect(JSON.parse(verify.stdout)).toMatchObject({
        ok: true,
        headProblems: [{ kind: 'headBehind', severity: 'note', firstSeq: n + 1, lastSeq: n + 2 }],
      });
    },
    LONG,
  );
});
