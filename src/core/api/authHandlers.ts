import { AppError } from '../../shared/errors';
import type { Account, Session } from '../../shared/schemas';
import { countAccounts, findAccount, insertAccount, listAccounts } from '../accounts/accountsRepo';
import { hashPassword, verifyPassword } from '../accounts/passwords';
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
  | 'accounts.list'
  | 'accounts.create'
>;

/** A hash to compare against when the name is unknown, so a wrong name costs as long as a wrong password. */
let decoyHash: Promise<string> | null = null;

export function authHandlers(s: Services): AuthHandlers {
  const sessionFor = (account: Account, sessionId: string): Session => ({
    sessionId,
    account,
    lockAfterMinutes: s.settings().lockAfterMinutes,
  });

  const createAccount = async (
    input: { name: string; displayName?: string | undefined; password: string; role: Account['role'] },
    actor: string,
    action: 'account.setupAdmin' | 'account.create',
  ): Promise<Account> => {
    const passwordHash = await hashPassword(input.password);
    return inTransaction(s.db, () => {
      if (action === 'account.setupAdmin' && countAccounts(s.db) > 0) throw new AppError('setup.alreadyDone');
      if (findAccount(s.db, input.name)) throw new AppError('account.exists', { name: input.name });
      const createdAt = stationTimestamp(s.now());
      const account = insertAccount(s.db, {
        name: input.name,
        displayName: input.displayName?.trim() || input.name,
        role: input.role,
        passwordHash,
        createdAt,
      });
      s.record({
        actor: action === 'account.setupAdmin' ? input.name : actor,
        action,
        subject: input.name,
        sha256: null,
        details: { role: input.role },
      });
      return account;
    });
  };

  const checkPassword = async (name: string, password: string): Promise<Account> => {
    const found = findAccount(s.db, name);
    if (!found) {
      decoyHash ??= hashPassword('decoy password');
      await verifyPassword(password, await decoyHash);
      s.log.warn('sign-in refused: unknown account', { name });
      throw new AppError('auth.invalid');
    }
    if (!(await verifyPassword(password, found.passwordHash)) || found.account.disabled) {
      // Refusals go to the station's log, not the custody log: they touch no evidence.
      s.log.warn('sign-in refused', { name, disabled: found.account.disabled });
      throw new AppError('auth.invalid');
    }
    return found.account;
  };

  return {
    'auth.setupAdmin': async (input) => {
      if (countAccounts(s.db) > 0) throw new AppError('setup.alreadyDone');
      const account = await createAccount({ ...input, role: 'admin' }, input.name, 'account.setupAdmin');
      return sessionFor(account, s.sessions.create(account));
    },
    'auth.signIn': async (input) => {
      if (countAccounts(s.db) === 0) throw new AppError('setup.required');
      const account = await checkPassword(input.name, input.password);
      const sessionId = s.sessions.create(account);
      inTransaction(s.db, () =>
        s.record({ actor: account.name, action: 'auth.signIn', subject: account.name, sha256: null, details: {} }),
      );
      return sessionFor(account, sessionId);
    },
    'auth.unlock': async (input) => {
      const account = s.sessions.peek(input.sessionId);
      if (!account) throw new AppError('auth.required');
      await checkPassword(account.name, input.password);
      s.sessions.unlock(input.sessionId);
      return sessionFor(account, input.sessionId);
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
    'accounts.list': () => listAccounts(s.db),
    'accounts.create': (input, call) => createAccount(input, actorOf(call).name, 'account.create'),
  };
}
