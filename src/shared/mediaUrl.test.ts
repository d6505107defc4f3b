import { describe, expect, it } from 'vitest';
import { formatMediaUrl, parseMediaPart, parseMediaUrl } from './mediaUrl';

describe('media URLs', () => {
  it('round-trips item, variant and session', () => {
    const url = formatMediaUrl('01J9ZQ/odd id', 'play', 'sess+/=1234567890abcdef');
    expect(url).toBe('evidence://media/01J9ZQ%2Fodd%20id/play?s=sess%2B%2F%3D1234567890abcdef');
    expect(parseMediaUrl(url)).toEqual({
      itemId: '01J9ZQ/odd id',
      variant: 'play',
      sessionId: 'sess+/=1234567890abcdef',
    });
  });

  it('leaves the session out before sign-in', () => {
    const url = formatMediaUrl('item1', 'thumbnail', null);
    expect(url).toBe('evidence://media/item1/thumbnail');
    expect(parseMediaUrl(url)).toEqual({ itemId: 'item1', variant: 'thumbnail', sessionId: null });
  });

  it('carries the sheet number of a filmstrip', () => {
    const url = formatMediaUrl('item1', 'filmstrip', 'sess1', 12);
    expect(url).toBe('evidence://media/item1/filmstrip?part=12&s=sess1');
    expect(parseMediaUrl(url)).toEqual({ itemId: 'item1', variant: 'filmstrip', sessionId: 'sess1', part: 12 });
    expect(parseMediaUrl(formatMediaUrl('item1', 'filmstrip', null, 0))).toEqual({
      itemId: 'item1',
      variant: 'filmstrip',
      sessionId: null,
      part: 0,
    });
  });

  it.each(['-1', '1.5', '1e3', '', ' 2', '0x1', '100000'])('refuses the part %j', (part) => {
    expect(parseMediaUrl(`evidence://media/item1/filmstrip?part=${encodeURIComponent(part)}`)).toBeNull();
    expect(parseMediaPart(part, 'filmstrip')).toBe('invalid');
  });

  it('refuses a part for variants that have none', () => {
    expect(parseMediaUrl('evidence://media/item1/original?part=0')).toBeNull();
    expect(parseMediaPart('0', 'thumbnail')).toBe('invalid');
    expect(parseMediaPart(null, 'thumbnail')).toBeUndefined();
  });

  it.each([
    'evidence://media/item1/raw',
    'evidence://media/item1',
    'evidence://media/item1/play/extra',
    'evidence://other/item1/play',
    'app://media/item1/play',
    'evidence://media//play',
    'evidence://media/%E0%A4%A/play',
    'not a url',
  ])('refuses %s', (url) => {
    expect(parseMediaUrl(url)).toBeNull();
  });
});
