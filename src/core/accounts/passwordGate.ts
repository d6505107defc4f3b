import { AppError } from '../../shared/errors';
import { inTransaction, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { stationTimestamp } from '../util/time';
import type { Services } from '../api/services';
import { addFailedAttempt, findAccount, setLockedOut, type AccountRecord } from './accountsRepo';
import { hashPassword, verifyPassword } from './passwords';
import { DEFAULT_THROTTLE, FailureCounters, waitBeforeNextMs, type ThrottlePolicy } from './signInThrottle';

export type PasswordPurpose = 'signIn' | 'unlock' | 'changePassword';

/**
 * Every check of a password someone typed (sign-in, unlock, changing one's own password) goes
 * through here, so each is throttled per account and per client, and counts towards the lockout.
 *
 * An unknown name gets the same treatment as a real account: the same counts (kept in memory), the
 * same throttle and lockout answers, and a password comparison of the same cost. Only the station
 * log, which only the station's OS user reads, says which it was.
 */
export class PasswordGate {
  private readonly clients = new FailureCounters();
  private readonly unknownNames = new FailureCounters();
  /** A hash to compare against when the name is unknown, so a wrong name costs as long as a wrong password. */
  private decoyHash: Promise<string> | null = null;

  constructor(
    private readonly deps: {
      db: WritableDB;
      now: () => Date;
      log: Logger;
      record: Services['record'];
      policy?: ThrottlePolicy;
    },
  ) {}

  private get policy(): ThrottlePolicy {
    return this.deps.policy ?? DEFAULT_THROTTLE;
  }

  /**
   * The account, when `password` is its password; throws `auth.throttled`, `account.lockedOut` or
   * `auth.invalid`. Disabled accounts and forced password changes are the caller's to refuse.
   */
  async check(name: string, password: string, client: string, purpose: PasswordPurpose): Promise<AccountRecord> {
    const { db, log } = this.deps;
    const nowMs = this.deps.now().getTime();
    const found = findAccount(db, name);
    const nameState = found
      ? { failures: found.failedAttempts, lastFailedMs: found.lastFailedMs, lockedOut: found.account.lockedOut }
      : this.unknownNames.get(name);
    const waitMs = Math.max(
      waitBeforeNextMs(nameState, nowMs, this.policy),
      waitBeforeNextMs(this.clients.get(client), nowMs, this.policy),
    );
    // Refusals go to the station's log, not the custody log: they touch no evidence.
    const refuse = (reason: string, error: AppError): never => {
      log.warn('password refused', { name, client, purpose, reason, known: found !== null });
      throw error;
    };
    if (waitMs > 0) refuse('throttled', new AppError('auth.throttled', { seconds: Math.ceil(waitMs / 1000) }));
    if (nameState?.lockedOut) refuse('lockedOut', new AppError('account.lockedOut'));

    // The attempt counts as a failure until the password proves right, so guesses sent in parallel
    // meet the throttle too instead of all passing the check above while the first is hashed.
    if (found) addFailedAttempt(db, name, nowMs);
    else this.unknownNames.fail(name, nowMs);
    this.clients.fail(client, nowMs);

    this.decoyHash ??= hashPassword('decoy password, never an account');
    const matches = await verifyPassword(password, found ? found.passwordHash : await this.decoyHash);
    const after = found ? findAccount(db, name) : null;
    if (!matches || (found && !after)) {
      const failures = after ? after.failedAttempts : (this.unknownNames.get(name)?.failures ?? 0);
      if (failures >= this.policy.lockoutAfter) {
        if (after && !after.account.lockedOut) this.lockOut(name, failures, client, purpose);
        else if (!found) this.unknownNames.lockOut(name);
        refuse('lockedOut', new AppError('account.lockedOut'));
      }
      refuse(found ? 'wrongPassword' : 'unknownAccount', new AppError('auth.invalid'));
    }
    // A lockout reached by another attempt while this one was hashed still stands.
    if (!after || after.account.lockedOut) return refuse('lockedOut', new AppError('account.lockedOut'));
    db.prepare('UPDATE accounts SET failed_attempts = 0, last_failed_ms = NULL WHERE name = ?').run(name);
    this.clients.clear(client);
    return { ...after, failedAttempts: 0, lastFailedMs: null };
  }

  private lockOut(name: string, failures: number, client: string, purpose: PasswordPurpose): void {
    inTransaction(this.deps.db, () => {
      setLockedOut(this.deps.db, name, stationTimestamp(this.deps.now()));
      this.deps.record({
        actor: 'station',
        action: 'account.lockedOut',
        subject: name,
        sha256: null,
        details: { failures, client, during: purpose },
      });
    });
    this.deps.log.warn('account locked out', { name, failures, client, purpose });
  }
}
