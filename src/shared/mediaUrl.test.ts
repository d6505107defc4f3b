import { describe, expect, it } from 'vitest';
import { formatMediaUrl, parseMediaUrl } from './mediaUrl';

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
