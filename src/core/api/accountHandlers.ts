import { randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Account } from '../../shared/schemas';
import {
  accountWithOfficerNumber,
  countOtherEnabledAdmins,
  findAccount,
  listAccounts,
  updateAccount,
  type AccountChange,
  type AccountRecord,
} from '../accounts/accountsRepo';
import { hashPassword } from '../accounts/passwords';
import { inTransaction } from '../db/database';
import { actorOf, type Handlers, type Services } from './services';

type AccountHandlers = Pick<
  Handlers,
  | 'accounts.list'
  | 'accounts.setDisabled'
  | 'accounts.setRole'
  | 'accounts.resetPassword'
  | 'accounts.liftLockout'
  | 'accounts.endSessions'
  | 'accounts.setOfficerNumber'
  | 'settings.setLocale'
>;

/** 16 characters from an alphabet without look-alikes (0/O, 1/l/I): about 90 bits, read out or typed by hand. */
function temporaryPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet's length; bytes past the last whole multiple are skipped.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < 16) {
    for (const byte of randomBytes(32)) {
      if (byte < limit && out.length < 16) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/**
 * What an admin does to accounts. Each change re-reads the account inside its transaction, writes
 * its custody entry there, and ends the account's sessions where the brief says so (disable, role
 * change, reset, end sessions): the epoch in the database ends them for every process, and the
 * in-memory sessions of this engine are deleted at once.
 */
export function accountHandlers(s: Services): AccountHandlers {
  const mustFind = (name: string): AccountRecord => {
    const found = findAccount(s.db, name);
    if (!found) throw new AppError('account.notFound', { name });
    return found;
  };

  /** The station must keep one enabled admin: refuse a change that would remove the last. */
  const keepAnAdmin = (target: Account): void => {
    if (target.role === 'admin' && !target.disabled && countOtherEnabledAdmins(s.db, target.name) === 0) {
      throw new AppError('account.lastAdmin');
    }
  };

  const change = (
    name: string,
    actor: string,
    action: string,
    plan: (current: Account) => { change: AccountChange; details: Record<string, unknown> } | null,
  ): Account => {
    const result = inTransaction(s.db, () => {
      const current = mustFind(name).account;
      const planned = plan(current);
      if (!planned) return { account: current, ended: false };
      updateAccount(s.db, name, planned.change);
      s.record({ actor, action, subject: name, sha256: null, details: planned.details });
      return { account: mustFind(name).account, ended: planned.change.endSessions === true };
    });
    if (result.ended) s.sessions.endAllFor(name);
    return result.account;
  };

  return {
    'accounts.list': () => listAccounts(s.db),
    'accounts.setDisabled': (input, call) =>
      change(input.name, actorOf(call).name, input.disabled ? 'account.disable' : 'account.enable', (current) => {
        if (current.disabled === input.disabled) return null;
        if (input.disabled) keepAnAdmin(current);
        return { change: { disabled: input.disabled, endSessions: input.disabled }, details: {} };
      }),
    'accounts.setRole': (input, call) =>
      change(input.name, actorOf(call).name, 'account.setRole', (current) => {
        if (current.role === input.role) return null;
        if (input.role !== 'admin') keepAnAdmin(current);
        return { change: { role: input.role, endSessions: true }, details: { from: current.role, to: input.role } };
      }),
    'accounts.resetPassword': async (input, call) => {
      mustFind(input.name);
      const generated = input.password ? null : temporaryPassword();
      const passwordHash = await hashPassword(input.password ?? generated ?? '');
      const account = change(input.name, actorOf(call).name, 'account.resetPassword', (current) => ({
        change: { passwordHash, mustChangePassword: true, clearFailures: true, endSessions: true },
        details: current.lockedOut ? { lockoutLifted: true } : {},
      }));
      return { account, temporaryPassword: generated };
    },
    'accounts.liftLockout': (input, call) =>
      change(input.name, actorOf(call).name, 'account.liftLockout', (current) =>
        current.lockedOut ? { change: { clearFailures: true }, details: {} } : null,
      ),
    'accounts.endSessions': (input, call) => {
      mustFind(input.name);
      inTransaction(s.db, () => {
        updateAccount(s.db, input.name, { endSessions: true });
        s.record({
          actor: actorOf(call).name,
          action: 'account.endSessions',
          subject: input.name,
          sha256: null,
          details: {},
        });
      });
      return { ended: s.sessions.endAllFor(input.name) };
    },
    'accounts.setOfficerNumber': (input, call) =>
      change(input.name, actorOf(call).name, 'account.setOfficerNumber', (current) => {
        if (current.officerNumber === input.officerNumber) return null;
        const holder = input.officerNumber ? accountWithOfficerNumber(s.db, input.officerNumber) : null;
        if (holder && input.officerNumber)
          throw new AppError('account.officerTaken', { officerNumber: input.officerNumber });
        return {
          change: { officerNumber: input.officerNumber },
          details: { from: current.officerNumber, to: input.officerNumber },
        };
      }),
    // The display language is the account's preference, not an action on evidence: it is not logged.
    'settings.setLocale': (input, call) => {
      const name = actorOf(call).name;
      updateAccount(s.db, name, { locale: input.locale });
      return mustFind(name).account;
    },
  };
}
