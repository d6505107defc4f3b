import { afterEach, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, codeOf, openStation, type TestStation } from './harness';

/** Accounts, sessions, roles and the inactivity lock, enforced by the engine for every host. */

const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;
const MINUTE = 60_000;

let station: TestStation | null = null;

afterEach(async () => {
  await station?.cleanup();
  station = null;
});

/** A station whose clock the test moves by hand. */
async function openWithClock(): Promise<{ s: TestStation; advance: (ms: number) => void }> {
  let t = Date.parse('2026-03-01T01:30:00Z');
  const s = await openStation({ now: () => new Date(t) });
  station = s;
  return { s, advance: (ms) => void (t += ms) };
}

describe('first-run setup', () => {
  it("keeps the language chosen on the first-run screen as the admin's own", async () => {
    const s = (station = await openStation({ noAdmin: true }));
    expect(await s.call('station.status', {})).toMatchObject({ locale: 'zh-CN' });
    const session = await s.call('auth.setupAdmin', { ...ADMIN, locale: 'en' });
    expect(session.account.locale).toBe('en');
    expect((await s.call('auth.whoami', {}, session.sessionId)).account.locale).toBe('en');
  });

  it('creates the admin once and refuses a second setup', async () => {
    const s = (station = await openStation({ noAdmin: true }));
    expect(await s.call('station.status', {})).toMatchObject({ setupRequired: true });
    expect(await codeOf(s.call('auth.signIn', ADMIN))).toBe('setup.required');
    const session = await s.call('auth.setupAdmin', ADMIN);
    expect(session.account).toMatchObject({ name: 'admin', role: 'admin', disabled: false });
    expect(await s.call('station.status', {})).toMatchObject({ setupRequired: false });
    expect(await codeOf(s.call('auth.setupAdmin', ADMIN))).toBe('setup.alreadyDone');
    expect(await codeOf(s.call('auth.setupAdmin', { name: 'other', password: 'another password' }))).toBe(
      'setup.alreadyDone',
    );
    const accounts = await s.call('accounts.list', {}, session.sessionId);
    expect(accounts.map((a) => a.name)).toEqual(['admin']);
  });

  it('refuses a short password before creating anything', async () => {
    const s = (station = await openStation({ noAdmin: true }));
    expect(await codeOf(s.call('auth.setupAdmin', { name: 'admin', password: 'short' }))).toBe('input.invalid');
    expect(await s.call('station.status', {})).toMatchObject({ setupRequired: true });
  });
});

describe('signing in', () => {
  it('refuses a wrong password and an unknown name with the same answer', async () => {
    const s = (station = await openStation());
    expect(await codeOf(s.call('auth.signIn', { name: 'admin', password: 'wrong password' }, null))).toBe(
      'auth.invalid',
    );
    expect(await codeOf(s.call('auth.signIn', { name: 'nobody', password: ADMIN.password }, null))).toBe(
      'auth.invalid',
    );
    const ok = await s.call('auth.signIn', ADMIN, null);
    expect((await s.call('auth.whoami', {}, ok.sessionId)).account.name).toBe('admin');
  });

  it('needs a session for everything but status, setup, sign-in and unlock', async () => {
    const s = (station = await openStation());
    expect(await codeOf(s.call('auth.whoami', {}, null))).toBe('auth.required');
    expect(await codeOf(s.call('library.query', {}, null))).toBe('auth.required');
    expect(await codeOf(s.call('library.query', {}, 'not-a-session-id-at-all'))).toBe('auth.required');
    expect(await codeOf(s.call('import.start', { paths: [getMediaFixtures().h264] }, null))).toBe('auth.required');
  });

  it('ends a session on sign-out', async () => {
    const s = (station = await openStation());
    await s.call('auth.signOut', {});
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.required');
  });
});

describe('roles', () => {
  it('lets only an admin manage accounts and station settings', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    expect(await codeOf(s.call('accounts.create', REVIEWER))).toBe('account.exists');
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(reviewer.account.role).toBe('reviewer');
    const as = reviewer.sessionId;
    expect(
      await codeOf(s.call('accounts.create', { name: 'x.y', password: 'a long password', role: 'admin' }, as)),
    ).toBe('auth.forbidden');
    expect(await codeOf(s.call('accounts.list', {}, as))).toBe('auth.forbidden');
    expect(await codeOf(s.call('settings.update', { lockAfterMinutes: 600 }, as))).toBe('auth.forbidden');
    // A reviewer does the work itself.
    const { importId } = await s.call('import.start', { paths: [getMediaFixtures().audio] }, as);
    expect((await s.engine.waitForImport(importId)).account).toBe(REVIEWER.name);
    expect((await s.call('settings.setLocale', { locale: 'en' }, as)).locale).toBe('en');
    expect((await s.call('accounts.list', {})).map((a) => a.name).sort()).toEqual(['admin', REVIEWER.name]);
  });

  it('names the account on the custody entry of every action', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    await s.call('settings.update', { lockAfterMinutes: 30 });
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const { importId } = await s.call('import.start', { paths: [getMediaFixtures().audio] }, reviewer.sessionId);
    const record = await s.engine.waitForImport(importId);
    await s.call(
      'items.correctTime',
      { id: record.files[0]!.itemId!, recordedAt: '2026-03-01T09:30:00+08:00', reason: 'camera clock' },
      reviewer.sessionId,
    );
    await s.call('auth.signOut', {}, reviewer.sessionId);
    const { entries } = await s.call('custody.list', {});
    expect(entries.map((e) => [e.action, e.actor, e.subject])).toEqual([
      // The default violation catalogue, installed by the station itself at its first start.
      ['taxonomy.install', 'station', null],
      // The station key's fingerprint, anchored in the chain at the same start.
      ['key.create', 'station', null],
      ['account.setupAdmin', 'admin', 'admin'],
      ['account.create', 'admin', REVIEWER.name],
      ['settings.update', 'admin', null],
      ['auth.signIn', REVIEWER.name, REVIEWER.name],
      ['import.start', REVIEWER.name, importId],
      ['import', REVIEWER.name, record.files[0]!.itemId],
      ['import.finish', REVIEWER.name, importId],
      ['item.correctTime', REVIEWER.name, record.files[0]!.itemId],
      ['auth.signOut', REVIEWER.name, REVIEWER.name],
    ]);
    expect(entries[3]!.details).toEqual({ role: 'reviewer' });
    expect(entries[4]!.details).toEqual({ changed: ['lockAfterMinutes'] });
    expect(JSON.stringify(entries)).not.toContain(REVIEWER.password);
  });
});

describe('the inactivity lock', () => {
  it('locks a session idle past the limit and unlocks it with the password', async () => {
    const { s, advance } = await openWithClock();
    expect(s.session.lockAfterMinutes).toBe(15);
    advance(15 * MINUTE);
    expect((await s.call('auth.whoami', {})).account.name).toBe('admin');
    advance(15 * MINUTE + 1);
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.locked');
    expect(await codeOf(s.call('library.query', {}))).toBe('auth.locked');
    // Still locked even if the next call comes at once: the lock sticks until unlocked.
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.locked');

    const sessionId = s.session.sessionId;
    expect(await codeOf(s.call('auth.unlock', { sessionId, password: 'wrong password' }, null))).toBe('auth.invalid');
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.locked');
    const unlocked = await s.call('auth.unlock', { sessionId, password: ADMIN.password }, null);
    expect(unlocked).toMatchObject({ sessionId, account: { name: 'admin' } });
    expect((await s.call('library.query', {})).total).toBe(0);
  });

  it('counts activity from the last call, and follows the setting', async () => {
    const { s, advance } = await openWithClock();
    for (let i = 0; i < 4; i++) {
      advance(10 * MINUTE);
      await s.call('auth.whoami', {});
    }
    await s.call('settings.update', { lockAfterMinutes: 2 });
    advance(2 * MINUTE + 1);
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.locked');
  });

  it('locks on request, and only the session owner’s password unlocks it', async () => {
    const { s } = await openWithClock();
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    await s.call('auth.lock', {}, reviewer.sessionId);
    expect(await codeOf(s.call('auth.whoami', {}, reviewer.sessionId))).toBe('auth.locked');
    expect(await codeOf(s.call('auth.unlock', { sessionId: reviewer.sessionId, password: ADMIN.password }, null))).toBe(
      'auth.invalid',
    );
    await s.call('auth.unlock', { sessionId: reviewer.sessionId, password: REVIEWER.password }, null);
    expect((await s.call('auth.whoami', {}, reviewer.sessionId)).account.name).toBe(REVIEWER.name);
    // The admin's own session was never affected.
    expect((await s.call('auth.whoami', {})).account.name).toBe('admin');
  });

  it('cannot unlock a session that does not exist', async () => {
    const { s } = await openWithClock();
    expect(await codeOf(s.call('auth.unlock', { sessionId: 'x'.repeat(32), password: ADMIN.password }, null))).toBe(
      'auth.required',
    );
  });
});
