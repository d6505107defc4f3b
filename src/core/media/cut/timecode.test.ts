import { describe, expect, it } from 'vitest';
import { shiftTimecode } from './timecode';

describe('shiftTimecode', () => {
  it('adds whole frames at the rate, carrying into seconds, minutes and hours', () => {
    expect(shiftTimecode('01:00:00:00', 1, 25)).toBe('01:00:01:00');
    expect(shiftTimecode('00:59:59:24', 0.04, 25)).toBe('01:00:00:00');
    expect(shiftTimecode('10:20:30:15', 2.52, 25)).toBe('10:20:33:03');
    expect(shiftTimecode('23:59:59:29', 1 / 30, 30)).toBe('00:00:00:00');
  });

  it('refuses what it cannot shift exactly', () => {
    expect(shiftTimecode('01:00:00;00', 1, 29.97)).toBeNull();
    expect(shiftTimecode('01:00:00:00', 1, 30000 / 1001)).toBeNull();
    expect(shiftTimecode('01:00:00:30', 1, 25)).toBeNull();
    expect(shiftTimecode('not a timecode', 1, 25)).toBeNull();
  });
});
