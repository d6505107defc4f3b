import { AppError } from '../../shared/errors';
import type { Account, Session } from '../../shared/schemas';
import {
  accountWithOfficerNumber,
  countAccounts,
  findAccount,
  insertAccount,
  updateAccount,
} from '../accounts/accountsRepo';
import { hashPassword } from '../accounts/passwords';
import { inTransaction } from '../db/database';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type AuthHandlers = Pick<
  Handlers,
  | 'auth.setupAdmin'
  | 'auth.signIn'
  | 'auth.unlock'
  | 'auth.signOut'
  | 'auth.lock'
  | 'auth.whoami'
  | 'auth.changePassword'
  | 'accounts.create'
>;

export interface NewAccount {
  name: string;
  displayName?: string | undefined;
  password: string;
  role: Account['role'];
  officerNumber?: string | undefined;
  mustChangePassword?: boolean | undefined;
}

/** Creates an account and its custody entry in one transaction (setup's first admin, or an admin's addition). */
export async function createAccount(
  s: Services,
  input: NewAccount,
  actor: string,
  action: 'account.setupAdmin' | 'account.create',
): Promise<Account> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(s.db, () => {
    if (action === 'account.setupAdmin' && countAccounts(s.db) > 0) throw new AppError('setup.alreadyDone');
    if (findAccount(s.db, input.name)) throw new AppError('account.exists', { name: input.name });
    const officerNumber = input.officerNumber ?? null;
    if (officerNumber && accountWithOfficerNumber(s.db, officerNumber)) {
      throw new AppError('account.officerTaken', { officerNumber });
    }
    const account = insertAccount(s.db, {
      name: input.name,
      displayName: input.displayName?.trim() || input.name,
      role: input.role,
      passwordHash,
      createdAt: stationTimestamp(s.now()),
      officerNumber,
      mustChangePassword: input.mustChangePassword ?? false,
    });
    s.record({
      actor: action === 'account.setupAdmin' ? input.name : actor,
      action,
      subject: input.name,
      sha256: null,
      details: {
        role: input.role,
        ...(officerNumber ? { officerNumber } : {}),
        ...(input.mustChangePassword ? { mustChangePassword: true } : {}),
      },
    });
    return account;
  });
}

export function authHandlers(s: Services): AuthHandlers {
  const sessionFor = (account: Account, sessionId: string): Session => ({
    sessionId,
    account,
    lockAfterMinutes: s.settings().lockAfterMinutes,
  });

  /**
   * Sets a new password chosen by the account's owner, with its custody entry, and ends the
   * account's other sessions (whoever knew the old password is signed out); `keep` stays open.
   */
  const setOwnPassword = async (
    name: string,
    oldPassword: string,
    newPassword: string,
    keep: string | null,
  ): Promise<void> => {
    if (newPassword === oldPassword) throw new AppError('account.passwordUnchanged');
    const passwordHash = await hashPassword(newPassword);
    const epoch = inTransaction(s.db, () => {
      updateAccount(s.db, name, { passwordHash, mustChangePassword: false, endSessions: true });
      s.record({ actor: name, action: 'account.changePassword', subject: name, sha256: null, details: {} });
      return findAccount(s.db, name)?.sessionEpoch ?? 0;
    });
    s.sessions.endAllFor(name, keep ? { sessionId: keep, epoch } : undefined);
  };

  return {
    'auth.setupAdmin': async ({ locale, ...input }) => {
      if (countAccounts(s.db) > 0) throw new AppError('setup.alreadyDone');
      await createAccount(s, { ...input, role: 'admin' }, input.name, 'account.setupAdmin');
      // A display preference, not an action on evidence: stored like settings.setLocale, unlogged.
      if (locale) updateAccount(s.db, input.name, { locale });
      const created = findAccount(s.db, input.name);
      if (!created) throw new AppError('internal');
      return sessionFor(created.account, s.sessions.create(created));
    },
    'auth.signIn': async (input, call) => {
      if (countAccounts(s.db) === 0) throw new AppError('setup.required');
      const found = await s.gate.check(input.name, input.password, call.client, 'signIn');
      if (found.account.disabled) {
        s.log.warn('password refused', { name: input.name, client: call.client, reason: 'disabled' });
        throw new AppError('account.disabled');
      }
      if (found.account.mustChangePassword && !input.newPassword) throw new AppError('auth.passwordChangeRequired');
      if (input.newPassword) await setOwnPassword(input.name, input.password, input.newPassword, null);
      const current = findAccount(s.db, input.name);
      if (!current) throw new AppError('auth.invalid');
      const sessionId = s.sessions.create(current);
      inTransaction(s.db, () =>
        s.record({ actor: input.name, action: 'auth.signIn', subject: input.name, sha256: null, details: {} }),
      );
      return sessionFor(current.account, sessionId);
    },
    'auth.unlock': async (input, call) => {
      const account = s.sessions.peek(input.sessionId);
      await s.gate.check(account.name, input.password, call.client, 'unlock');
      s.sessions.unlock(input.sessionId);
      return sessionFor(s.sessions.peek(input.sessionId), input.sessionId);
    },
    'auth.signOut': (_input, call) => {
      const account = actorOf(call);
      if (call.sessionId) s.sessions.end(call.sessionId);
      inTransaction(s.db, () =>
        s.record({ actor: account.name, action: 'auth.signOut', subject: account.name, sha256: null, details: {} }),
      );
      return { ok: true };
    },
    'auth.lock': (_input, call) => {
      if (call.sessionId) s.sessions.lock(call.sessionId);
      return { ok: true };
    },
    'auth.whoami': (_input, call) => {
      if (!call.sessionId) throw new AppError('auth.required');
      return sessionFor(actorOf(call), call.sessionId);
    },
    'auth.changePassword': async (input, call) => {
      const account = actorOf(call);
      await s.gate.check(account.name, input.oldPassword, call.client, 'changePassword');
      await setOwnPassword(account.name, input.oldPassword, input.newPassword, call.sessionId);
      return { ok: true };
    },
    'accounts.create': (input, call) => createAccount(s, input, actorOf(call).name, 'account.create'),
  };
}
