import { describe, expect, it } from 'vitest';
import {
  chooseRecordedTime,
  formatInstant,
  formatOffset,
  isValidLocalDateTime,
  parseIsoWithOffset,
  parseOffset,
  type LocalDateTime,
} from './recordedTime';

const CST = 8 * 60;
const at0930: LocalDateTime = { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 0 };

describe('chooseRecordedTime', () => {
  it('prefers a container time that carries its offset (Apple creationdate)', () => {
    const result = chooseRecordedTime(
      {
        containerWithOffset: '2026-03-01T09:30:00+0800',
        container: { creationTime: '2026-03-01T01:30:00.000000Z', writer: 'phone' },
        fileName: { ...at0930, h: 11 },
        modifiedAt: new Date('2026-03-02T00:00:00Z'),
      },
      0,
    );
    expect(result).toEqual({
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'container',
      offsetKnown: true,
    });
  });

  it('keeps the offset EXIF recorded, whatever the station offset', () => {
    const result = chooseRecordedTime({ exif: { local: at0930, offsetMinutes: -5 * 60 } }, CST);
    expect(result).toEqual({ recordedAt: '2026-03-01T09:30:00-05:00', recordedAtSource: 'exif', offsetKnown: true });
  });

  it('takes an AVCHD stream time with its zone over the file name and file system time', () => {
    const candidates = { fileName: { ...at0930, h: 11 }, modifiedAt: new Date('2026-03-02T00:00:00Z') };
    expect(chooseRecordedTime({ ...candidates, stream: { local: at0930, offsetMinutes: 9 * 60 } }, CST)).toEqual({
      recordedAt: '2026-03-01T09:30:00+09:00',
      recordedAtSource: 'container',
      offsetKnown: true,
    });
    // Without a zone it is still the camera's clock, shown in the station offset and marked assumed.
    expect(chooseRecordedTime({ ...candidates, stream: { local: at0930 } }, CST)).toEqual({
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'container',
      offsetKnown: false,
    });
    // A camera with an unset clock: the stream time is ignored.
    expect(chooseRecordedTime({ ...candidates, stream: { local: { ...at0930, y: 1970 } } }, CST)).toMatchObject({
      recordedAtSource: 'filename',
    });
  });

  it('puts EXIF without offset in the station offset, marked as assumed', () => {
    const result = chooseRecordedTime({ exif: { local: at0930 }, fileName: { ...at0930, h: 8 } }, CST);
    expect(result).toEqual({ recordedAt: '2026-03-01T09:30:00+08:00', recordedAtSource: 'exif', offsetKnown: false });
  });

  it('reads a body-cam creation_time as the local wall clock it really is', () => {
    const result = chooseRecordedTime(
      { container: { creationTime: '2026-03-01T09:30:00.000000Z', writer: 'unknown' } },
      CST,
    );
    expect(result).toEqual({
      recordedAt: '2026-03-01T09:30:00+08:00',
      recordedAtSource: 'container',
      offsetKnown: false,
    });
  });

  it('reads a phone creation_time as true UTC, shown in the station offset', () => {
    const result = chooseRecordedTime(
      { container: { creationTime: '2026-03-01T01:30:00.000000Z', writer: 'phone' } },
      CST,
    );
    expect(result?.recordedAt).toBe('2026-03-01T09:30:00+08:00');
    expect(result?.offsetKnown).toBe(false);
  });

  it('takes creation_time as UTC when the file name shows the same moment in station time', () => {
    const candidates = {
      container: { creationTime: '2026-03-01T01:30:02Z', writer: 'unknown' as const },
      fileName: at0930,
    };
    expect(chooseRecordedTime(candidates, CST)?.recordedAt).toBe('2026-03-01T09:30:02+08:00');
  });

  it('keeps creation_time as wall clock when the file name agrees with it', () => {
    const candidates = {
      container: { creationTime: '2026-03-01T09:30:01Z', writer: 'unknown' as const },
      fileName: at0930,
    };
    expect(chooseRecordedTime(candidates, CST)?.recordedAt).toBe('2026-03-01T09:30:01+08:00');
  });

  it('ignores the epoch dates written by cameras with an unset clock', () => {
    for (const creationTime of ['1904-01-01T00:00:00.000000Z', '1970-01-01T00:00:00.000000Z']) {
      const result = chooseRecordedTime({ container: { creationTime, writer: 'unknown' }, fileName: at0930 }, CST);
      expect(result).toEqual({
        recordedAt: '2026-03-01T09:30:00+08:00',
        recordedAtSource: 'filename',
        offsetKnown: false,
      });
    }
  });

  it('ignores an impossible file-name date and falls back to the file system time in station offset', () => {
    const result = chooseRecordedTime(
      { fileName: { ...at0930, m: 2, d: 30 }, modifiedAt: new Date('2026-03-01T02:00:00.000Z') },
      CST,
    );
    expect(result).toEqual({
      recordedAt: '2026-03-01T10:00:00+08:00',
      recordedAtSource: 'filesystem',
      offsetKnown: false,
    });
  });

  it('returns null when nothing is known', () => {
    expect(chooseRecordedTime({ modifiedAt: null }, CST)).toBeNull();
    expect(chooseRecordedTime({ modifiedAt: new Date(Number.NaN) }, CST)).toBeNull();
  });

  it('writes a zero station offset as Z and handles negative and half-hour offsets', () => {
    expect(chooseRecordedTime({ fileName: at0930 }, 0)?.recordedAt).toBe('2026-03-01T09:30:00Z');
    expect(chooseRecordedTime({ fileName: at0930 }, -210)?.recordedAt).toBe('2026-03-01T09:30:00-03:30');
    expect(chooseRecordedTime({ modifiedAt: new Date('2026-03-01T00:10:00Z') }, 330)?.recordedAt).toBe(
      '2026-03-01T05:40:00+05:30',
    );
  });
});

describe('time helpers', () => {
  it('parses offsets in EXIF and Apple forms', () => {
    expect(parseOffset('+08:00')).toBe(480);
    expect(parseOffset('+0800')).toBe(480);
    expect(parseOffset('-05:30')).toBe(-330);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('   :  ')).toBeNull();
    expect(parseOffset('+15:00')).toBeNull();
    expect(parseOffset(undefined)).toBeNull();
  });

  it('formats offsets', () => {
    expect(formatOffset(480)).toBe('+08:00');
    expect(formatOffset(-570)).toBe('-09:30');
    expect(formatOffset(0)).toBe('Z');
  });

  it('parses ISO times with offsets only', () => {
    expect(parseIsoWithOffset('2026-03-01T09:30:00+08:00')).toEqual({
      epochMs: Date.parse('2026-03-01T01:30:00Z'),
      offsetMinutes: 480,
    });
    expect(parseIsoWithOffset('2026-03-01T09:30:00.123456Z')?.epochMs).toBe(Date.parse('2026-03-01T09:30:00Z'));
    expect(parseIsoWithOffset('2026-03-01T09:30:00')).toBeNull();
    expect(parseIsoWithOffset('2026-13-01T09:30:00Z')).toBeNull();
  });

  it('crosses the date line when formatting an instant', () => {
    expect(formatInstant(Date.parse('2026-12-31T20:00:00Z'), 480)).toBe('2027-01-01T04:00:00+08:00');
  });

  it('validates calendar dates', () => {
    expect(isValidLocalDateTime({ ...at0930, m: 2, d: 29, y: 2028 })).toBe(true);
    expect(isValidLocalDateTime({ ...at0930, m: 2, d: 29, y: 2026 })).toBe(false);
    expect(isValidLocalDateTime({ ...at0930, h: 24 })).toBe(false);
    expect(isValidLocalDateTime({ ...at0930, s: 1.5 })).toBe(false);
  });
});
