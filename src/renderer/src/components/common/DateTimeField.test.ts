import { describe, expect, it } from 'vitest';
import { toValue } from './DateTimeField';

describe('a typed date and time', () => {
  it('comes out in the form the forms parse, from what a person types or pastes', () => {
    expect(toValue('2026-03-01 09:30', true)).toBe('2026-03-01T09:30');
    expect(toValue(' 2026-03-01T09:30:15 ', true)).toBe('2026-03-01T09:30:15');
    expect(toValue('2026/03/01 09:30', true)).toBe('2026-03-01T09:30');
    expect(toValue('2026-03-01', false)).toBe('2026-03-01');
    expect(toValue('2026/3/1', false)).toBe('2026-3-1');
  });
});
