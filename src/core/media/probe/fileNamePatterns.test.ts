import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILE_NAME_PATTERNS,
  parseFileName,
  parseTimeGroup,
  validateFileNamePatterns,
} from './fileNamePatterns';
import { MEDIA_FIXTURES } from '../../../../test/fixtures/generateMedia';

const at0930 = { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 0 };
const parse = (name: string) => parseFileName(name, DEFAULT_FILE_NAME_PATTERNS);

describe('parseFileName with the default patterns', () => {
  it.each([
    ['DSJ-A8_012345_20260301093000_0001.MP4', { deviceId: 'DSJ-A8', officerId: '012345' }],
    ['dsj-a8_012345_20260301093000.mp4', { deviceId: 'dsj-a8', officerId: '012345' }],
    ['DS-MCW406_20260301093000_012345.mp4', { deviceId: 'DS-MCW406', officerId: '012345' }],
    ['012345_20260301093000_0001.mp4', { officerId: '012345' }],
    ['20260301_093000_012345.mp4', { officerId: '012345' }],
    ['VID_20260301_093000.mp4', {}],
    ['IMG_20260301_093000.jpg', {}],
    ['PXL_20260301_093000123.mp4', {}],
    ['20260301093000.mp4', {}],
    ['2026-03-01 09-30-00.mp4', {}],
  ])('reads %s', (name, ids) => {
    const parsed = parse(name);
    expect(parsed).toMatchObject({ ...ids, localTime: at0930 });
    if (!('deviceId' in ids)) expect(parsed.deviceId).toBeUndefined();
    if (!('officerId' in ids)) expect(parsed.officerId).toBeUndefined();
  });

  it('reads the body-cam fixture name', () => {
    expect(parse(MEDIA_FIXTURES.bodycam)).toMatchObject({ deviceId: 'DSJ-A8', officerId: '012345', localTime: at0930 });
  });

  it('drops directories, including Windows ones', () => {
    expect(parse('E:\\DCIM\\100MEDIA\\VID_20260301_093000.mp4').localTime).toEqual(at0930);
    expect(parse('/media/cam/DCIM/20260301093000.mp4').localTime).toEqual(at0930);
  });

  it('finds nothing in ordinary names', () => {
    expect(parse('执法 记录 01.mp4')).toEqual({});
    expect(parse('notes.txt')).toEqual({});
    expect(parse('clip_2026.mp4')).toEqual({});
  });

  it('keeps the ids of a name whose time is not a real date', () => {
    const parsed = parse('DSJ-A8_012345_20260231093000_0001.MP4');
    expect(parsed).toMatchObject({ deviceId: 'DSJ-A8', officerId: '012345' });
    expect(parsed.localTime).toBeUndefined();
  });
});

describe('configured patterns', () => {
  const broken = { name: 'broken', regex: '(?<device>[' };
  const custom = { name: 'custom', regex: String.raw`^CAM(?<device>\d+)-(?<time>\d{8}T\d{6})` };

  it('reports invalid regexes instead of throwing, and uses the rest', () => {
    expect(parseFileName('CAM7-20260301T093000.mp4', [broken, custom])).toEqual({
      deviceId: '7',
      localTime: at0930,
      pattern: 'custom',
      invalidPatterns: ['broken'],
    });
    expect(parseFileName('x.mp4', [broken])).toEqual({ invalidPatterns: ['broken'] });
    expect(validateFileNamePatterns([broken, custom])).toEqual([{ name: 'broken', message: expect.any(String) }]);
    expect(validateFileNamePatterns(DEFAULT_FILE_NAME_PATTERNS)).toEqual([]);
  });
});

describe('parseTimeGroup', () => {
  it('accepts separators and extra digits, rejects short or impossible times', () => {
    expect(parseTimeGroup('2026-03-01T09:30:00')).toEqual(at0930);
    expect(parseTimeGroup('20260301093000123')).toEqual(at0930);
    expect(parseTimeGroup('202603010930')).toBeNull();
    expect(parseTimeGroup('20261301093000')).toBeNull();
    expect(parseTimeGroup(undefined)).toBeNull();
  });
});
