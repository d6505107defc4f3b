import { randomBytes } from 'node:crypto';
import type { Account } from '../../shared/schemas';
import { AppError } from '../../shared/errors';

interface SessionState {
  account: Account;
  lastActivityMs: number;
  locked: boolean;
}

/**
 * Signed-in sessions, in memory only: a restart signs everyone out. A session left idle longer
 * than the lock timeout is locked and needs the password again; the UI locks the screen at the
 * same moment, and the engine enforces it for every host.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly now: () => Date,
    private readonly lockAfterMs: () => number,
  ) {}

  create(account: Account): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { account, lastActivityMs: this.now().getTime(), locked: false });
    return id;
  }

  /** The session's account, refreshing its activity; throws `auth.required` or `auth.locked`. */
  touch(sessionId: string | null): Account {
    const s = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!s) throw new AppError('auth.required');
    const nowMs = this.now().getTime();
    if (s.locked || nowMs - s.lastActivityMs > this.lockAfterMs()) {
      s.locked = true;
      throw new AppError('auth.locked');
    }
    s.lastActivityMs = nowMs;
    return s.account;
  }

  /** The account of an open, unlocked, not idle session, without counting this as activity. */
  active(sessionId: string | null): Account | null {
    const s = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!s || s.locked || this.now().getTime() - s.lastActivityMs > this.lockAfterMs()) return null;
    return s.account;
  }

  /** The account of a session whether or not it is locked: for unlocking it. */
  peek(sessionId: string): Account | null {
    return this.sessions.get(sessionId)?.account ?? null;
  }

  lock(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (s) s.locked = true;
  }

  unlock(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) throw new AppError('auth.required');
    s.locked = false;
    s.lastActivityMs = this.now().getTime();
  }

  end(sessionId: string): void {
    this.sessions.delete(sessionId);
  }
}
