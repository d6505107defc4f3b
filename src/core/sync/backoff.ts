/**
 * How long a failed upload or commit waits before the next try: exponential backoff with full
 * jitter (a random delay between zero and `base · 2^(attempts−1)`, capped). The randomness spreads
 * stations that lost the same server at the same moment, so they do not all return at once
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */

export interface BackoffPolicy {
  /** The ceiling after the first failure. */
  baseMs: number;
  /** No wait is ever longer than this, however many failures came before. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 15 * 60_000 };

/** The ceiling of the wait after `attempts` failures in a row (1 = the first failure). */
export function backoffCeilingMs(attempts: number, policy: BackoffPolicy): number {
  if (attempts < 1) return 0;
  // 2^n grows past the cap long before it would overflow; stop doubling there.
  const exponent = Math.min(attempts - 1, 40);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/** The wait after `attempts` failures: uniform in [0, ceiling]; `random` returns [0, 1). */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  return Math.floor(random() * (backoffCeilingMs(attempts, policy) + 1));
}
