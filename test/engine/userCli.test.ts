import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Account, CustodyEntry } from '../../src/shared/schemas';
import { CLI_PASSWORD, runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * `user …` as an admin or a script drives it: real CLI processes on one data directory. Each step
 * is its own process, so what one command changes must hold for the next through the database.
 */

let root: string;
let data: string;

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--data', data], env);
const asAdmin = (...args: string[]) => cli([...args, '--user', 'admin']);
const REVIEWER_PASSWORD = 'reviewer password 1';

beforeAll(async () => {
  root = await makeTempDir('user-cli');
  data = join(root, 'data');
  const init = await cli(['init', '--admin', 'admin']);
  expect(init.code, init.stderr).toBe(0);
});

afterAll(async () => {
  await removeTree(root);
});

async function account(name: string): Promise<Account> {
  const r = await asAdmin('user', 'list', '--json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as Account[]).find((a) => a.name === name)!;
}

// Each step starts a CLI process (several seconds each on a busy machine).
describe('user commands', { timeout: 300_000 }, () => {
  it('adds an account with its officer number; a password given here need not be changed', async () => {
    const r = await cli(['user', 'add', 'li.wei', '--role', 'reviewer', '--officer', '010245', '--user', 'admin'], {
      STATION_NEW_PASSWORD: REVIEWER_PASSWORD,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('Added li.wei (reviewer) 警号 010245\n');
    expect(await account('li.wei')).toMatchObject({ officerNumber: '010245', mustChangePassword: false });
    const bad = await cli(['user', 'add', 'x', '--role', 'reviewer', '--officer', '01 02', '--user', 'admin']);
    expect(bad.code).toBe(2);
  });

  it('disables and enables an account; the officer number stands beside the name in custody entries', async () => {
    expect((await asAdmin('user', 'disable', 'li.wei')).code).toBe(0);
    const asReviewer = (password: string) => cli(['user', 'list', '--user', 'li.wei'], { STATION_PASSWORD: password });
    const refused = await asReviewer(REVIEWER_PASSWORD);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/account\.disabled/);
    expect((await asAdmin('user', 'enable', 'li.wei')).code).toBe(0);
    // Signed in, then refused the admin's list: the sign-in itself is on the record.
    expect((await asReviewer(REVIEWER_PASSWORD)).stderr).toMatch(/auth\.forbidden/);
    const shown = await asAdmin('log', 'show', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    const entries = JSON.parse(shown.stdout) as CustodyEntry[];
    expect(entries.filter((e) => e.subject === 'li.wei').map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['account.create', 'admin'],
        ['account.disable', 'admin'],
        ['account.enable', 'admin'],
      ]),
    );
    const signIns = entries.filter((e) => e.action === 'auth.signIn' && e.actor === 'li.wei');
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((e) => e.details['actorOfficerNumber'] === '010245')).toBe(true);
  });

  it('resets a password: prints a temporary one that must be changed with user passwd', async () => {
    const reset = await asAdmin('user', 'reset', 'li.wei');
    expect(reset.code, reset.stderr).toBe(0);
    const temporary = /Temporary password for li\.wei: (\S+)/.exec(reset.stdout)?.[1];
    expect(temporary).toMatch(/^[a-zA-Z2-9]{16}$/);
    const forced = await cli(['user', 'list', '--user', 'li.wei'], { STATION_PASSWORD: temporary });
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/auth\.passwordChangeRequired/);
    const passwd = await cli(['user', 'passwd', '--user', 'li.wei'], {
      STATION_PASSWORD: temporary,
      STATION_NEW_PASSWORD: 'chosen by li wei',
    });
    expect(passwd.code, passwd.stderr).toBe(0);
    expect((await account('li.wei')).mustChangePassword).toBe(false);
  });

  it('changes a role, and refuses to demote or disable the last admin', async () => {
    expect((await asAdmin('user', 'role', 'li.wei', '--role', 'supervisor')).code).toBe(0);
    expect((await account('li.wei')).role).toBe('supervisor');
    const last = await asAdmin('user', 'disable', 'admin');
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/account\.lastAdmin/);
    // The admin's own password still works: nothing above touched it.
    expect((await cli(['user', 'list', '--user', 'admin'], { STATION_PASSWORD: CLI_PASSWORD })).code).toBe(0);
  });
});
