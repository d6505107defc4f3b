import { describe, expect, it } from 'vitest';
import { correctReading, parseShift } from './clockCorrection';

describe('correctReading', () => {
  it('shifts the wall clock and reads it in the zone the camera was set to', () => {
    // Read with the station's +08:00 assumed; the camera ran 3 min 12 s fast, set to +08:00.
    expect(correctReading('2026-03-01T09:33:12+08:00', { shiftSec: -192, zone: '+08:00' })).toBe(
      '2026-03-01T09:30:00+08:00',
    );
    // Same digits, but the camera was set to UTC: the instant moves by eight hours.
    expect(correctReading('2026-03-01T09:33:12+08:00', { shiftSec: -192, zone: 'Z' })).toBe('2026-03-01T09:30:00Z');
    expect(correctReading('2026-03-01T09:33:12+08:00', { shiftSec: 0, zone: '-05:30' })).toBe(
      '2026-03-01T09:33:12-05:30',
    );
  });

  it('keeps the reading’s zone when none is given, and crosses midnight and month ends', () => {
    expect(correctReading('2026-03-01T00:01:00+08:00', { shiftSec: -120, zone: null })).toBe(
      '2026-02-28T23:59:00+08:00',
    );
    expect(correctReading('2026-12-31T23:59:30Z', { shiftSec: 45, zone: null })).toBe('2027-01-01T00:00:15Z');
  });

  it('gives the same answer however often it is applied to the same reading', () => {
    const once = correctReading('2026-03-01T09:33:12+08:00', { shiftSec: -192, zone: '+09:00' });
    expect(correctReading('2026-03-01T09:33:12+08:00', { shiftSec: -192, zone: '+09:00' })).toBe(once);
  });

  it('refuses what is not a time with offset, and a zone it cannot read', () => {
    expect(correctReading('2026-03-01 09:33:12', { shiftSec: 0, zone: null })).toBeNull();
    expect(correctReading('2026-03-01T09:33:12+08:00', { shiftSec: 0, zone: '+25:00' })).toBeNull();
  });
});

describe('parseShift', () => {
  it.each([
    ['-3m12s', -192],
    ['+1h', 3600],
    ['90s', 90],
    ['-192', -192],
    ['-00:03:12', -192],
    ['1d2h', 93_600],
    ['0', 0],
  ])('%s → %d', (text, seconds) => {
    expect(parseShift(text)).toBe(seconds);
  });

  it.each(['', '-', '3x', '3m3m', '1.5m', 'm', '00:60:00', '--3m'])('refuses %j', (text) => {
    expect(parseShift(text)).toBeNull();
  });
});
