/**
 * How long a password guess must wait. The first `freeFailures` failures cost nothing (people
 * mistype); after that each failure doubles the wait before the next attempt, from `baseDelayMs` up
 * to `maxDelayMs`; `lockoutAfter` failures in a row lock an account out until an admin lifts it.
 * Waiting is never done by sleeping: an attempt that comes too early is refused at once with the
 * seconds left, so no timer or connection is held open for an attacker.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockoutAfter: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailures: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  lockoutAfter: 10,
};

export interface FailureState {
  failures: number;
  lastFailedMs: number | null;
}

/** Milliseconds still to wait before the next attempt may be checked (0: go ahead). */
export function waitBeforeNextMs(state: FailureState | null, nowMs: number, policy: ThrottlePolicy): number {
  if (!state || state.lastFailedMs === null || state.failures < policy.freeFailures) return 0;
  const delay = Math.min(policy.baseDelayMs * 2 ** (state.failures - policy.freeFailures), policy.maxDelayMs);
  return Math.max(0, state.lastFailedMs + delay - nowMs);
}

/**
 * Failure counts kept in memory: per client (a host's notion of who is asking), and per account
 * name that does not exist, so an unknown name is treated exactly like a real one. Bounded, so a
 * flood of invented names cannot grow it without limit: the oldest entry goes first.
 */
export class FailureCounters {
  private readonly states = new Map<string, FailureState & { lockedOut: boolean }>();

  constructor(private readonly capacity = 10_000) {}

  get(key: string): (FailureState & { lockedOut: boolean }) | null {
    return this.states.get(key) ?? null;
  }

  fail(key: string, nowMs: number): number {
    const state = this.states.get(key) ?? { failures: 0, lastFailedMs: null, lockedOut: false };
    this.states.delete(key);
    const next = { ...state, failures: state.failures + 1, lastFailedMs: nowMs };
    this.states.set(key, next);
    if (this.states.size > this.capacity) {
      const oldest = this.states.keys().next();
      if (!oldest.done) this.states.delete(oldest.value);
    }
    return next.failures;
  }

  lockOut(key: string): void {
    const state = this.states.get(key);
    if (state) state.lockedOut = true;
  }

  clear(key: string): void {
    this.states.delete(key);
  }
}
