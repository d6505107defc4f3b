import { describe, expect, it } from 'vitest';
import { isInsideWindow, nextWindowOpening } from './syncWindow';

/** The daily sync window in the station's local time, including one that runs past midnight. */
const at = (h: number, m = 0, day = 3) => new Date(2026, 11, day, h, m, 0, 0);

describe('the daily sync window', () => {
  it('lets everything through without a window, or with start equal to end', () => {
    expect(isInsideWindow(at(3), null)).toBe(true);
    expect(isInsideWindow(at(3), { start: '08:00', end: '08:00' })).toBe(true);
  });

  it('holds a day window from its start (included) to its end (excluded)', () => {
    const w = { start: '09:00', end: '17:30' };
    expect(isInsideWindow(at(8, 59), w)).toBe(false);
    expect(isInsideWindow(at(9, 0), w)).toBe(true);
    expect(isInsideWindow(at(17, 29), w)).toBe(true);
    expect(isInsideWindow(at(17, 30), w)).toBe(false);
    expect(nextWindowOpening(at(7), w)).toEqual(at(9));
    expect(nextWindowOpening(at(18), w)).toEqual(at(9, 0, 4));
    expect(nextWindowOpening(at(10), w)).toEqual(at(10));
  });

  it('runs a night window past midnight', () => {
    const w = { start: '22:00', end: '06:00' };
    expect(isInsideWindow(at(23), w)).toBe(true);
    expect(isInsideWindow(at(2), w)).toBe(true);
    expect(isInsideWindow(at(6), w)).toBe(false);
    expect(isInsideWindow(at(12), w)).toBe(false);
    expect(nextWindowOpening(at(12), w)).toEqual(at(22));
    expect(nextWindowOpening(at(6, 30), w)).toEqual(at(22));
  });
});
