import { randomBytes } from 'node:crypto';
import type { Account } from '../../shared/schemas';
import { AppError } from '../../shared/errors';

interface SessionState {
  accountName: string;
  /** The account's `session_epoch` when the session began; a different one means it was ended. */
  epoch: number;
  createdMs: number;
  lastActivityMs: number;
  locked: boolean;
  /** Items this session opened (workspace, detail, made here): only those may be streamed as views. */
  opened: Set<string>;
}

/** The account as the database has it now, and the epoch its sessions must carry. */
export interface CurrentAccount {
  account: Account;
  sessionEpoch: number;
}

/**
 * Signed-in sessions, in memory only: a restart signs everyone out, and a session that ends
 * (sign-out, its absolute lifetime, an admin ending it) is deleted at once.
 *
 * Every use re-reads the account (one indexed row), so a disabled account, a changed role or
 * sessions ended by an admin — from this engine or any other process on the database — take
 * effect on the next call. A session left idle longer than the lock timeout is locked and needs
 * the password again; the UI locks the screen at the same moment.
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly opts: {
      now: () => Date;
      lockAfterMs: () => number;
      lifetimeMs: () => number;
      readAccount: (name: string) => CurrentAccount | null;
    },
  ) {}

  create(current: CurrentAccount): string {
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    const nowMs = this.opts.now().getTime();
    this.sessions.set(id, {
      accountName: current.account.name,
      epoch: current.sessionEpoch,
      createdMs: nowMs,
      lastActivityMs: nowMs,
      locked: false,
      opened: new Set(),
    });
    return id;
  }

  /**
   * The session's account as it is now, refreshing its activity. Throws `auth.required` (no such
   * session, or ended by an admin), `auth.expired`, `account.disabled` or `auth.locked`.
   */
  touch(sessionId: string | null): Account {
    const { state, account } = this.current(sessionId);
    const nowMs = this.opts.now().getTime();
    if (state.locked || this.idle(state, nowMs)) {
      state.locked = true;
      throw new AppError('auth.locked');
    }
    state.lastActivityMs = nowMs;
    return account;
  }

  /** The account of an open, unlocked, not idle session, without counting this as activity. */
  active(sessionId: string | null): Account | null {
    try {
      const { state, account } = this.current(sessionId);
      return state.locked || this.idle(state, this.opts.now().getTime()) ? null : account;
    } catch (error) {
      if (error instanceof AppError) return null;
      throw error;
    }
  }

  /** The current account of a session whether or not it is locked: for unlocking it. */
  peek(sessionId: string): Account {
    return this.current(sessionId).account;
  }

  lock(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (s) s.locked = true;
  }

  unlock(sessionId: string): void {
    const s = this.sessions.get(sessionId);
    if (!s) throw new AppError('auth.required');
    s.locked = false;
    s.lastActivityMs = this.opts.now().getTime();
  }

  end(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** Deletes the sessions of `name` (all but `except`); the database's epoch must already be raised. */
  endAllFor(name: string, except?: { sessionId: string; epoch: number }): number {
    let ended = 0;
    for (const [id, s] of this.sessions) {
      if (s.accountName !== name) continue;
      if (except && id === except.sessionId) {
        s.epoch = except.epoch;
        continue;
      }
      this.sessions.delete(id);
      ended++;
    }
    return ended;
  }

  /** Remembers that this session opened the item (see `hasOpened`). */
  noteOpened(sessionId: string | null, itemId: string): void {
    if (sessionId) this.sessions.get(sessionId)?.opened.add(itemId);
  }

  /**
   * Whether the user of this session opened the item. Streaming an original is a view logged under
   * the session's account, so a screen left over from someone else's session must not produce one.
   */
  hasOpened(sessionId: string | null, itemId: string): boolean {
    return sessionId ? (this.sessions.get(sessionId)?.opened.has(itemId) ?? false) : false;
  }

  private current(sessionId: string | null): { state: SessionState; account: Account } {
    const state = sessionId ? this.sessions.get(sessionId) : undefined;
    if (!sessionId || !state) throw new AppError('auth.required');
    if (this.opts.now().getTime() - state.createdMs >= this.opts.lifetimeMs()) {
      this.sessions.delete(sessionId);
      throw new AppError('auth.expired');
    }
    const current = this.opts.readAccount(state.accountName);
    if (!current || current.sessionEpoch !== state.epoch) {
      this.sessions.delete(sessionId);
      throw new AppError('auth.required');
    }
    if (current.account.disabled) {
      this.sessions.delete(sessionId);
      throw new AppError('account.disabled');
    }
    return { state, account: current.account };
  }

  private idle(state: SessionState, nowMs: number): boolean {
    return nowMs - state.lastActivityMs > this.opts.lockAfterMs();
  }

  /** Deletes sessions past their lifetime, so a session nobody uses again does not linger. */
  private sweep(): void {
    const nowMs = this.opts.now().getTime();
    for (const [id, s] of this.sessions) {
      if (nowMs - s.createdMs >= this.opts.lifetimeMs()) this.sessions.delete(id);
    }
  }
}
