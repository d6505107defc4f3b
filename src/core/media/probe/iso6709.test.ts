import { describe, expect, it } from 'vitest';
import { parseIso6709 } from './iso6709';

describe('parseIso6709', () => {
  it('reads decimal degrees as ffmpeg and Android write them', () => {
    expect(parseIso6709('+31.2304+121.4737/')).toEqual({ lat: 31.2304, lon: 121.4737 });
  });

  it('reads the altitude iPhones add', () => {
    expect(parseIso6709('+31.2304+121.4737+004.123/')).toEqual({ lat: 31.2304, lon: 121.4737, alt: 4.123 });
  });

  it('reads southern and western points and a CRS suffix', () => {
    expect(parseIso6709('-33.8688-070.6693+0520CRSWGS_84/')).toEqual({ lat: -33.8688, lon: -70.6693, alt: 520 });
  });

  it('reads degree-minute and degree-minute-second forms', () => {
    const dm = parseIso6709('+3113.824+12128.422/');
    expect(dm?.lat).toBeCloseTo(31.2304, 4);
    expect(dm?.lon).toBeCloseTo(121.4737, 4);
    const dms = parseIso6709('+311349.44+1212825.32/');
    expect(dms?.lat).toBeCloseTo(31.2304, 4);
    expect(dms?.lon).toBeCloseTo(121.4737, 4);
  });

  it('rejects malformed and out-of-range points', () => {
    expect(parseIso6709('')).toBeNull();
    expect(parseIso6709('31.2304,121.4737')).toBeNull();
    expect(parseIso6709('+95.0000+121.0000/')).toBeNull();
    expect(parseIso6709('+31.2+190.0/')).toBeNull();
    expect(parseIso6709('+3175.0+12128.0/')).toBeNull();
  });
});
