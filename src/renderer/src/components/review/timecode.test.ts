import { describe, expect, it } from 'vitest';
import {
  formatMediaTime,
  frameNumberAt,
  frameNumberContaining,
  frameSeekSec,
  frameStartSec,
  parseGoTo,
  wallTimeAt,
} from './timecode';

describe('media time and frames', () => {
  it('writes hh:mm:ss.mmm with hours always present', () => {
    expect(formatMediaTime(0)).toBe('00:00:00.000');
    expect(formatMediaTime(4.04)).toBe('00:00:04.040');
    expect(formatMediaTime(7199.9996)).toBe('02:00:00.000');
    expect(formatMediaTime(3723.5)).toBe('01:02:03.500');
  });

  const pal = { fps: 25, originSec: 0 };
  it("numbers a frame from its own time, even a hair under it as Chromium's microseconds give it", () => {
    expect(frameNumberAt(4.04, pal)).toBe(101);
    expect(frameNumberAt(0.039999, pal)).toBe(1);
    expect(frameNumberAt((1001 * 57) / 30000, { fps: 30000 / 1001, originSec: 0 })).toBe(57);
  });

  it('finds the frame shown at a position inside it, and seeks to the middle of a frame', () => {
    expect(frameNumberContaining(0.12, pal)).toBe(3);
    expect(frameNumberContaining(0.159, pal)).toBe(3);
    expect(frameNumberContaining(frameSeekSec(250, pal), pal)).toBe(250);
  });

  it('counts frames from the first frame when the video starts after the container (MPEG-TS)', () => {
    // The first frame at 23.222 ms; a proxy's edit list rounds that to whole milliseconds.
    const ts = { fps: 25, originSec: 0.023222 };
    expect(frameStartSec(6, ts)).toBeCloseTo(0.263222, 9);
    expect(frameNumberAt(0.263222, ts)).toBe(6);
    expect(frameNumberAt(0.263, ts)).toBe(6);
    expect(frameNumberContaining(0.3, ts)).toBe(6);
    expect(frameNumberContaining(0.01, ts)).toBe(0);
    expect(frameNumberContaining(frameSeekSec(6, ts), ts)).toBe(6);
  });
});

describe('wallTimeAt', () => {
  it('adds the media time to the recorded instant and writes it in the recording offset', () => {
    expect(wallTimeAt('2026-03-01T09:30:00+08:00', 83.48)).toEqual({ text: '2026-03-01 09:31:23.480', zone: '+08:00' });
    expect(wallTimeAt('2026-03-01T01:30:00Z', 0.04)).toEqual({ text: '2026-03-01 01:30:00.040', zone: 'UTC' });
    expect(wallTimeAt('2026-02-28T23:59:59.500-05:00', 1)).toEqual({
      text: '2026-03-01 00:00:00.500',
      zone: '-05:00',
    });
  });

  it('refuses what is not an instant with an offset', () => {
    expect(wallTimeAt('yesterday', 1)).toBeNull();
  });
});

describe('parseGoTo', () => {
  it('reads clock times, seconds and frame numbers', () => {
    expect(parseGoTo('01:02:03.500')).toEqual({ kind: 'time', seconds: 3723.5 });
    expect(parseGoTo('2:05')).toEqual({ kind: 'time', seconds: 125 });
    expect(parseGoTo(' 754.2 ')).toEqual({ kind: 'time', seconds: 754.2 });
    expect(parseGoTo('#101')).toEqual({ kind: 'frame', frame: 101 });
    expect(parseGoTo('＃12')).toEqual({ kind: 'frame', frame: 12 });
    expect(parseGoTo('00：00：04')).toEqual({ kind: 'time', seconds: 4 });
  });

  it('refuses anything else', () => {
    expect(parseGoTo('')).toBeNull();
    expect(parseGoTo('1:75')).toBeNull();
    expect(parseGoTo('abc')).toBeNull();
    expect(parseGoTo('#')).toBeNull();
    expect(parseGoTo('-3')).toBeNull();
  });
});
