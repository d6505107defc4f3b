import { afterEach, describe, expect, it } from 'vitest';
import type { MethodInput, MethodName, MethodOutput } from '../../src/shared/contract';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, codeOf, openStation, type TestStation } from './harness';

/**
 * Accounts an admin can manage (issue 10 §4): throttled and locked-out password guesses, disabled
 * accounts and changed roles taking effect on the next call, resets, the last admin, officer
 * numbers, per-account language, the session's absolute lifetime, and no view logged from a screen
 * left over from someone else's session. All on the real engine, with a clock the test moves.
 */

const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let station: TestStation | null = null;

afterEach(async () => {
  await station?.cleanup();
  station = null;
});

async function openWithClock(): Promise<{ s: TestStation; advance: (ms: number) => void }> {
  let t = Date.parse('2026-03-01T01:30:00Z');
  const s = await openStation({ now: () => new Date(t) });
  station = s;
  return { s, advance: (ms) => void (t += ms) };
}

/** A call from a named client (the host's notion of who is asking). */
function from<M extends MethodName>(
  s: TestStation,
  client: string,
  method: M,
  input: MethodInput<M>,
  sessionId: string | null = null,
): Promise<MethodOutput<M>> {
  return s.engine.call(method, input, { sessionId, via: 'test', client });
}

/** The error code and params of a rejected call. */
async function failure(promise: Promise<unknown>): Promise<{ code: string; params?: unknown }> {
  try {
    await promise;
    return { code: 'resolved' };
  } catch (error) {
    const e = error as { code?: string; params?: Record<string, unknown> };
    return Object.keys(e.params ?? {}).length ? { code: e.code ?? '?', params: e.params } : { code: e.code ?? '?' };
  }
}

const signIn = (s: TestStation, client: string, name: string, password: string) =>
  from(s, client, 'auth.signIn', { name, password });

async function actions(s: TestStation): Promise<[string, string, string | null, Record<string, unknown>][]> {
  const { entries } = await s.call('custody.list', { limit: 500 });
  return entries.map((e) => [e.action, e.actor, e.subject, e.details]);
}

// Every attempt hashes a password (scrypt): many in a row take a while on a busy machine.
describe('throttled password guesses', { timeout: 180_000 }, () => {
  it('makes each guess wait longer, per account and per client, and treats unknown names alike', async () => {
    const { s, advance } = await openWithClock();
    await s.call('accounts.create', REVIEWER);
    const wrong = (client: string, name: string) => failure(signIn(s, client, name, 'wrong password'));

    // Three free failures, then 1 s, 2 s, 4 s before the next attempt is even checked.
    const seen = async (name: string, client: string) => {
      const out: unknown[] = [];
      for (let i = 0; i < 3; i++) out.push(await wrong(client, name));
      out.push(await wrong(client, name));
      advance(SECOND);
      out.push(await wrong(client, name));
      out.push(await wrong(client, name));
      advance(2 * SECOND);
      out.push(await wrong(client, name));
      out.push(await wrong(client, name));
      return out;
    };
    const real = await seen(REVIEWER.name, 'desk-a');
    expect(real).toEqual([
      { code: 'auth.invalid' },
      { code: 'auth.invalid' },
      { code: 'auth.invalid' },
      { code: 'auth.throttled', params: { seconds: 1 } },
      { code: 'auth.invalid' },
      { code: 'auth.throttled', params: { seconds: 2 } },
      { code: 'auth.invalid' },
      { code: 'auth.throttled', params: { seconds: 4 } },
    ]);
    // The right password does not get past the throttle either.
    expect(await failure(signIn(s, 'desk-z', REVIEWER.name, REVIEWER.password))).toEqual({
      code: 'auth.throttled',
      params: { seconds: 4 },
    });
    // Per client: desk-a is throttled whatever name it tries next, even the admin's right password.
    expect((await failure(signIn(s, 'desk-a', ADMIN.name, ADMIN.password))).code).toBe('auth.throttled');
    // Another client signs the admin in at once: the admin's account has no failures.
    expect((await signIn(s, 'desk-b', ADMIN.name, ADMIN.password)).account.name).toBe('admin');

    // An unknown name from a fresh client gets exactly the same answers.
    expect(await seen('no.such.user', 'desk-c')).toEqual(real);

    // After the wait, the right password signs in and clears the account's count.
    advance(4 * SECOND);
    await signIn(s, 'desk-d', REVIEWER.name, REVIEWER.password);
    expect(await wrong('desk-d', REVIEWER.name)).toEqual({ code: 'auth.invalid' });
    expect(await wrong('desk-d', REVIEWER.name)).toEqual({ code: 'auth.invalid' });

    // Refusals are in the station log, not the custody log.
    const refused = s.log.lines.filter((l) => l.message === 'password refused');
    expect(refused.map((l) => l.fields?.['reason'])).toContain('throttled');
    expect(refused.find((l) => l.fields?.['name'] === 'no.such.user')?.fields).toMatchObject({ known: false });
    expect((await actions(s)).filter(([a]) => a.includes('refused') || a === 'account.lockedOut')).toEqual([]);
  });

  it('counts guesses sent at once, not only one after another', async () => {
    const { s } = await openWithClock();
    await s.call('accounts.create', REVIEWER);
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => failure(signIn(s, `desk-${i}`, REVIEWER.name, 'wrong password'))),
    );
    expect(answers.filter((a) => a.code === 'auth.invalid')).toHaveLength(3);
    expect(answers.filter((a) => a.code === 'auth.throttled')).toHaveLength(3);
  });

  it('throttles unlocking a locked screen like a sign-in', async () => {
    const { s } = await openWithClock();
    await s.call('auth.lock', {});
    const unlock = (password: string) =>
      failure(from(s, 'desk-a', 'auth.unlock', { sessionId: s.session.sessionId, password }));
    for (let i = 0; i < 3; i++) expect(await unlock('wrong password')).toEqual({ code: 'auth.invalid' });
    expect(await unlock(ADMIN.password)).toEqual({ code: 'auth.throttled', params: { seconds: 1 } });
  });
});

// Every attempt hashes a password (scrypt): many in a row take a while on a busy machine.
describe('lockout', { timeout: 180_000 }, () => {
  it('locks an account out after ten failures until an admin lifts it, on the custody log', async () => {
    const { s, advance } = await openWithClock();
    await s.call('accounts.create', REVIEWER);
    // The admin's own session must outlast the minutes the test moves the clock by.
    await s.call('settings.update', { lockAfterMinutes: 24 * 60 });
    const attempt = async (name: string, password: string) => {
      advance(MINUTE); // past the longest wait: only the lockout is tested here
      return (await failure(signIn(s, 'desk-a', name, password))).code;
    };
    const tenWrong = async (name: string) => {
      const codes: string[] = [];
      for (let i = 0; i < 10; i++) codes.push(await attempt(name, 'wrong password'));
      return codes;
    };
    const expected = [...Array<string>(9).fill('auth.invalid'), 'account.lockedOut'];
    expect(await tenWrong(REVIEWER.name)).toEqual(expected);
    expect(await attempt(REVIEWER.name, REVIEWER.password)).toBe('account.lockedOut');
    // The same for a name that does not exist: nothing tells the two apart.
    expect(await tenWrong('no.such.user')).toEqual(expected);
    expect(await attempt('no.such.user', REVIEWER.password)).toBe('account.lockedOut');

    const listed = await s.call('accounts.list', {});
    expect(listed.find((a) => a.name === REVIEWER.name)).toMatchObject({ lockedOut: true });
    expect(await codeOf(s.call('accounts.liftLockout', { name: REVIEWER.name }, null))).toBe('auth.required');
    await s.call('accounts.liftLockout', { name: REVIEWER.name });
    expect((await signIn(s, 'desk-b', REVIEWER.name, REVIEWER.password)).account.lockedOut).toBe(false);

    const log = (await actions(s)).filter(([a]) => a.startsWith('account.l'));
    expect(log).toEqual([
      ['account.lockedOut', 'station', REVIEWER.name, { failures: 10, client: 'desk-a', during: 'signIn' }],
      ['account.liftLockout', 'admin', REVIEWER.name, {}],
    ]);
    expect(s.log.lines.some((l) => l.message === 'account locked out')).toBe(true);
  });
});

describe('an admin manages accounts', () => {
  it('disables an account: its open session is refused on its next call, and it cannot sign in', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect((await s.call('auth.whoami', {}, reviewer.sessionId)).account.name).toBe(REVIEWER.name);

    await s.call('accounts.setDisabled', { name: REVIEWER.name, disabled: true });
    expect(await codeOf(s.call('library.query', {}, reviewer.sessionId))).toBe('auth.required');
    expect(await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null))).toBe(
      'account.disabled',
    );
    // A wrong password on a disabled account is just a wrong password.
    expect(await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: 'wrong password' }, null))).toBe(
      'auth.invalid',
    );
    await s.call('accounts.setDisabled', { name: REVIEWER.name, disabled: false });
    await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect((await actions(s)).filter(([a]) => a === 'account.disable' || a === 'account.enable')).toEqual([
      ['account.disable', 'admin', REVIEWER.name, {}],
      ['account.enable', 'admin', REVIEWER.name, {}],
    ]);
  });

  it('refuses the open session of an account disabled by another process on the same database', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    // What a second engine (a CLI command) would leave behind: the row changed, no in-memory session touched.
    const { openDatabase } = await import('../../src/core/db/database');
    const other = openDatabase(`${s.dataDir}/station.db`);
    other.prepare('UPDATE accounts SET disabled = 1 WHERE name = ?').run(REVIEWER.name);
    other.close();
    expect(await codeOf(s.call('auth.whoami', {}, reviewer.sessionId))).toBe('account.disabled');
    expect(await codeOf(s.call('auth.whoami', {}, reviewer.sessionId))).toBe('auth.required');
  });

  it('changes a role: it counts from the next call, and the session ends', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', { ...REVIEWER, role: 'admin' });
    const other = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(await s.call('accounts.list', {}, other.sessionId)).toHaveLength(2);
    const changed = await s.call('accounts.setRole', { name: REVIEWER.name, role: 'reviewer' });
    expect(changed.role).toBe('reviewer');
    expect(await codeOf(s.call('accounts.list', {}, other.sessionId))).toBe('auth.required');
    const again = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(await codeOf(s.call('accounts.list', {}, again.sessionId))).toBe('auth.forbidden');
    expect((await actions(s)).find(([a]) => a === 'account.setRole')).toEqual([
      'account.setRole',
      'admin',
      REVIEWER.name,
      { from: 'admin', to: 'reviewer' },
    ]);
  });

  it('resets a password: sessions end, and the next sign-in must choose a new one', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const before = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const reset = await s.call('accounts.resetPassword', { name: REVIEWER.name });
    const temporary = reset.temporaryPassword!;
    expect(temporary).toMatch(/^[a-zA-Z2-9]{16}$/);
    expect(reset.account.mustChangePassword).toBe(true);
    expect(await codeOf(s.call('auth.whoami', {}, before.sessionId))).toBe('auth.required');
    expect(await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null))).toBe(
      'auth.invalid',
    );
    expect(await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: temporary }, null))).toBe(
      'auth.passwordChangeRequired',
    );
    expect(
      await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: temporary, newPassword: temporary }, null)),
    ).toBe('account.passwordUnchanged');
    const session = await s.call(
      'auth.signIn',
      { name: REVIEWER.name, password: temporary, newPassword: 'my own new password' },
      null,
    );
    expect(session.account.mustChangePassword).toBe(false);
    await s.call('auth.signIn', { name: REVIEWER.name, password: 'my own new password' }, null);
    // An admin-given password works too, and is returned to nobody.
    const given = await s.call('accounts.resetPassword', { name: REVIEWER.name, password: 'given temporary' });
    expect(given.temporaryPassword).toBeNull();
    expect(await codeOf(s.call('auth.signIn', { name: REVIEWER.name, password: 'given temporary' }, null))).toBe(
      'auth.passwordChangeRequired',
    );
    const log = await actions(s);
    expect(log.filter(([a]) => a === 'account.resetPassword' || a === 'account.changePassword')).toEqual([
      ['account.resetPassword', 'admin', REVIEWER.name, {}],
      ['account.changePassword', REVIEWER.name, REVIEWER.name, {}],
      ['account.resetPassword', 'admin', REVIEWER.name, {}],
    ]);
    expect(JSON.stringify(log)).not.toContain(temporary);
  });

  it('lets everyone change their own password with the old one, ending their other sessions', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const a = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const b = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(
      await codeOf(
        s.call('auth.changePassword', { oldPassword: 'wrong password', newPassword: 'x'.repeat(12) }, a.sessionId),
      ),
    ).toBe('auth.invalid');
    await s.call(
      'auth.changePassword',
      { oldPassword: REVIEWER.password, newPassword: 'changed password' },
      a.sessionId,
    );
    expect((await s.call('auth.whoami', {}, a.sessionId)).account.name).toBe(REVIEWER.name);
    expect(await codeOf(s.call('auth.whoami', {}, b.sessionId))).toBe('auth.required');
    await s.call('auth.signIn', { name: REVIEWER.name, password: 'changed password' }, null);
  });

  it('ends a user’s sessions on request', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const a = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(await s.call('accounts.endSessions', { name: REVIEWER.name })).toEqual({ ended: 1 });
    expect(await codeOf(s.call('auth.whoami', {}, a.sessionId))).toBe('auth.required');
    expect((await actions(s)).find(([act]) => act === 'account.endSessions')).toEqual([
      'account.endSessions',
      'admin',
      REVIEWER.name,
      {},
    ]);
  });

  it('never disables or demotes the last enabled admin', async () => {
    const s = (station = await openStation());
    expect(await codeOf(s.call('accounts.setDisabled', { name: 'admin', disabled: true }))).toBe('account.lastAdmin');
    expect(await codeOf(s.call('accounts.setRole', { name: 'admin', role: 'supervisor' }))).toBe('account.lastAdmin');
    await s.call('accounts.create', { name: 'second', password: 'second admin pw', role: 'admin' });
    await s.call('accounts.setDisabled', { name: 'second', disabled: true });
    // A disabled admin does not count.
    expect(await codeOf(s.call('accounts.setRole', { name: 'admin', role: 'reviewer' }))).toBe('account.lastAdmin');
    await s.call('accounts.setDisabled', { name: 'second', disabled: false });
    await s.call('accounts.setRole', { name: 'admin', role: 'reviewer' });
    // Demoting oneself ended one's own session.
    expect(await codeOf(s.call('auth.whoami', {}))).toBe('auth.required');
  });

  it('gives accounts an officer number, written beside the actor in custody entries', async () => {
    const s = (station = await openStation());
    const created = await s.call('accounts.create', { ...REVIEWER, officerNumber: '010245' });
    expect(created.officerNumber).toBe('010245');
    expect(
      await codeOf(
        s.call('accounts.create', {
          name: 'other',
          password: 'other password',
          role: 'reviewer',
          officerNumber: '010245',
        }),
      ),
    ).toBe('account.officerTaken');
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const { importId } = await s.call('import.start', { paths: [getMediaFixtures().audio] }, reviewer.sessionId);
    await s.engine.waitForImport(importId);
    await s.call('accounts.setOfficerNumber', { name: REVIEWER.name, officerNumber: '020001' });
    await s.call('auth.signOut', {}, reviewer.sessionId);

    const { entries } = await s.call('custody.list', { limit: 500 });
    const byReviewer = entries.filter((e) => e.actor === REVIEWER.name);
    expect(byReviewer.map((e) => [e.action, e.details['actorOfficerNumber']])).toEqual([
      ['auth.signIn', '010245'],
      ['import.start', '010245'],
      ['import', '010245'],
      ['import.finish', '010245'],
      ['auth.signOut', '020001'],
    ]);
    expect(entries.find((e) => e.action === 'account.create')?.details).toEqual({
      role: 'reviewer',
      officerNumber: '010245',
    });
    expect(entries.find((e) => e.action === 'account.setOfficerNumber')?.details).toEqual({
      from: '010245',
      to: '020001',
    });
    // Entries written before the change keep what they said: the chain still verifies.
    expect(await s.call('custody.verify', {})).toMatchObject({ ok: true });
  });
});

describe('language', () => {
  it('is each account’s own; the station default changes only by an admin, logged', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    expect(reviewer.account.locale).toBeNull();
    expect((await s.call('settings.setLocale', { locale: 'en' }, reviewer.sessionId)).locale).toBe('en');
    expect((await s.call('station.status', {})).locale).toBe('zh-CN');
    expect((await s.call('auth.whoami', {})).account.locale).toBeNull();
    expect((await s.call('auth.whoami', {}, reviewer.sessionId)).account.locale).toBe('en');
    expect(await codeOf(s.call('settings.update', { locale: 'en' }, reviewer.sessionId))).toBe('auth.forbidden');
    await s.call('settings.update', { locale: 'en' });
    expect((await s.call('station.status', {})).locale).toBe('en');
    const log = await actions(s);
    expect(log.filter(([a]) => a === 'settings.update')).toEqual([
      ['settings.update', 'admin', null, { changed: ['locale'] }],
    ]);
  });
});

describe('session lifetime', () => {
  it('ends a session at its absolute lifetime however active it is, and deletes it', async () => {
    const { s, advance } = await openWithClock();
    await s.call('settings.update', { sessionHours: 1 });
    const fresh = await s.call('auth.signIn', ADMIN, null);
    for (let i = 0; i < 5; i++) {
      advance(11 * MINUTE);
      await s.call('auth.whoami', {}, fresh.sessionId);
    }
    advance(5 * MINUTE - 1);
    await s.call('auth.whoami', {}, fresh.sessionId);
    advance(1);
    expect(await codeOf(s.call('auth.whoami', {}, fresh.sessionId))).toBe('auth.expired');
    expect(await codeOf(s.call('auth.whoami', {}, fresh.sessionId))).toBe('auth.required');
    // A locked session cannot be unlocked past its lifetime either.
    expect(
      await codeOf(s.call('auth.unlock', { sessionId: s.session.sessionId, password: ADMIN.password }, null)),
    ).toBe('auth.expired');
  });
});

describe('a new session starts with nothing open', () => {
  it('streams evidence as a view only for items this session opened', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const record = await s.importAndWait([getMediaFixtures().h264]);
    const itemId = record.files[0]!.itemId!;
    await s.call('review.open', { itemId });
    await s.engine.openMedia(itemId, 'play', s.ctx);
    await s.call('auth.signOut', {});

    // The next user's client still shows the previous review: its player asks for the media.
    const next = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const ctx = { sessionId: next.sessionId, via: 'test' as const };
    expect(await codeOf(s.engine.openMedia(itemId, 'play', ctx))).toBe('media.notOpened');
    expect(await codeOf(s.engine.openMedia(itemId, 'original', ctx))).toBe('media.notOpened');
    // Posters are not views and need no opening.
    expect(await codeOf(s.engine.openMedia(itemId, 'thumbnail', ctx))).toBe('media.notFound');
    const views = async () =>
      (await s.call('custody.list', { limit: 500 }, next.sessionId)).entries.filter(
        (e) => e.action === 'item.view' && e.actor === REVIEWER.name,
      );
    expect(await views()).toEqual([]);
    await s.call('items.get', { id: itemId }, next.sessionId);
    await s.engine.openMedia(itemId, 'play', ctx);
    expect(await views()).toHaveLength(1);
  });
});
