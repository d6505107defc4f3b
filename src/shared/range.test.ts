import { describe, expect, it } from 'vitest';
import { formatContentRange, parseRangeHeader } from './range';

describe('parseRangeHeader', () => {
  const size = 1000;

  it('answers the whole file without a Range header', () => {
    expect(parseRangeHeader(undefined, size)).toEqual({ kind: 'full' });
  });

  it.each([
    ['bytes=0-499', 0, 499],
    ['bytes=500-999', 500, 999],
    ['bytes=0-0', 0, 0],
    ['bytes=999-999', 999, 999],
    ['bytes=500-', 500, 999],
    ['bytes=0-', 0, 999],
    ['bytes=-200', 800, 999],
    ['bytes=-1', 999, 999],
    ['bytes=900-5000', 900, 999],
    ['bytes=-5000', 0, 999],
    [' bytes=10-20 ', 10, 20],
  ])('%s → %i-%i', (header, start, end) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'partial', start, end });
  });

  it.each(['bytes=1000-', 'bytes=1000-1001', 'bytes=5000-6000', 'bytes=-0'])('%s is unsatisfiable', (header) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'unsatisfiable' });
  });

  it('finds nothing to send in an empty file', () => {
    expect(parseRangeHeader('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRangeHeader(undefined, 0)).toEqual({ kind: 'full' });
  });

  it.each([
    'bytes=-',
    'bytes=20-10',
    'bytes=0-10,20-30',
    'items=0-10',
    'bytes=a-b',
    'bytes=1.5-2',
    'bytes 0-10',
    '',
    'bytes=99999999999999999999-',
  ])('ignores %j and sends the whole file', (header) => {
    expect(parseRangeHeader(header, size)).toEqual({ kind: 'full' });
  });

  it('formats Content-Range', () => {
    expect(formatContentRange(0, 499, 1000)).toBe('bytes 0-499/1000');
  });
});
