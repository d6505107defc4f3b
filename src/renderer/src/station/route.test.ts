import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './route';

describe('routes in the hash', () => {
  it.each<Route>([
    { view: 'library' },
    { view: 'review', itemId: 'item-1' },
    { view: 'review', itemId: 'item-1', atSec: 12.48 },
    { view: 'cases' },
    { view: 'case', caseRef: 'ZF-2026-00001' },
    { view: 'taxonomy' },
    { view: 'verify' },
    { view: 'sync' },
  ])('round-trips %o', (route) => {
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('falls back to the library for anything it does not know', () => {
    expect(parseRoute('')).toEqual({ view: 'library' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'library' });
    expect(parseRoute('#/review/')).toEqual({ view: 'library' });
    expect(parseRoute('#/review/..%2F..%2Fetc')).toEqual({ view: 'library' });
    expect(parseRoute('#/review/%E0%A4%A')).toEqual({ view: 'library' });
  });

  it('ignores a time that is not a non-negative number', () => {
    expect(parseRoute('#/review/a?t=-1')).toEqual({ view: 'review', itemId: 'a' });
    expect(parseRoute('#/review/a?t=abc')).toEqual({ view: 'review', itemId: 'a' });
  });
});
