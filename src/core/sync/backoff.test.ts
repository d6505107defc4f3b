import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, retryDelayMs } from './backoff';

/**
 * The retry wait: the ceiling doubles from the base with each failure in a row and never passes
 * the cap; the wait itself is anywhere from zero to the ceiling (full jitter), by the random draw.
 */
describe('backoff with full jitter', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 };

  it('doubles the ceiling per failure up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffCeilingMs(n, policy))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000,
    ]);
    // Thousands of failures neither overflow nor pass the cap.
    expect(backoffCeilingMs(5_000, policy)).toBe(60_000);
  });

  it('draws the wait between zero and the ceiling', () => {
    expect(retryDelayMs(4, policy, () => 0)).toBe(0);
    expect(retryDelayMs(4, policy, () => 0.5)).toBe(4_000);
    expect(retryDelayMs(4, policy, () => 0.999_999_9)).toBe(8_000);
    expect(retryDelayMs(40, policy, () => 0.999_999_9)).toBe(60_000);
    // The real random source stays in range.
    for (let i = 0; i < 1_000; i++) {
      const d = retryDelayMs(3, policy);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(4_000);
    }
  });
});
