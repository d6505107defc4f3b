import { describe, expect, it } from 'vitest';
import { groupFingerprint, normalizeFingerprint } from './fingerprint';
import { RATE_WINDOW_MS, addSample, bytesPerSecond, formatEta } from './transferRate';

describe('transfer rate', () => {
  it('needs two samples and a positive interval', () => {
    expect(bytesPerSecond([])).toBeNull();
    expect(bytesPerSecond([{ atMs: 0, bytes: 0 }])).toBeNull();
    expect(
      bytesPerSecond([
        { atMs: 5, bytes: 0 },
        { atMs: 5, bytes: 10 },
      ]),
    ).toBeNull();
  });

  it('measures over the window and forgets older samples', () => {
    let samples = addSample([], { atMs: 0, bytes: 0 });
    samples = addSample(samples, { atMs: 1000, bytes: 100 });
    expect(bytesPerSecond(samples)).toBe(100);
    // A fast stretch well after the window: the early slow second no longer counts.
    samples = addSample(samples, { atMs: 1000 + RATE_WINDOW_MS, bytes: 100 + 5000 });
    samples = addSample(samples, { atMs: 2000 + RATE_WINDOW_MS, bytes: 100 + 6000 });
    expect(samples[0]!.atMs).toBe(1000);
    expect(bytesPerSecond(samples)).toBeCloseTo(6000 / 6, 5);
    samples = addSample(samples, { atMs: 2000 + 2 * RATE_WINDOW_MS, bytes: 100 + 11000 });
    expect(samples[0]!.atMs).toBe(2000 + RATE_WINDOW_MS);
  });

  it('starts again when the byte count goes back (the read-back phase)', () => {
    const samples = addSample(
      [
        { atMs: 0, bytes: 0 },
        { atMs: 1000, bytes: 900 },
      ],
      { atMs: 1100, bytes: 10 },
    );
    expect(samples).toEqual([{ atMs: 1100, bytes: 10 }]);
  });

  it('formats time left rounded up', () => {
    expect(formatEta(0)).toBe('0:00');
    expect(formatEta(0.2)).toBe('0:01');
    expect(formatEta(75)).toBe('1:15');
    expect(formatEta(3725)).toBe('1:02:05');
  });
});

describe('fingerprints', () => {
  it('groups in fours and normalises what people paste', () => {
    expect(groupFingerprint('1A2B3C4D5e')).toBe('1a2b 3c4d 5e');
    expect(groupFingerprint('1a2b 3c4d')).toBe('1a2b 3c4d');
    expect(normalizeFingerprint(' 1A:2B 3c4d\n')).toBe('1a2b3c4d');
  });
});
