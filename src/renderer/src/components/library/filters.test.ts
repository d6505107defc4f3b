import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, calendarDay, toLibraryQuery } from './filters';

describe('library date filters', () => {
  it('reads a typed day in the forms people type, and only whole real days', () => {
    expect(calendarDay('2026-03-01')).toBe('2026-03-01');
    expect(calendarDay(' 2026-3-1 ')).toBe('2026-03-01');
    expect(calendarDay('2026/03/01')).toBe('2026-03-01');
    expect(calendarDay('2024-02-29')).toBe('2024-02-29');
    for (const partial of [
      '',
      '2026',
      '2026-03',
      '2026-03-',
      '2026-02-30',
      '2026-13-01',
      '03/01/2026',
      '2026-03-01x',
    ]) {
      expect(calendarDay(partial), partial).toBeUndefined();
    }
  });

  it('sends from and to as the start and the end of their days, both included, and leaves out what is not a day', () => {
    const query = toLibraryQuery({ ...EMPTY_FILTERS, recordedFrom: '2026-3-1', recordedTo: '2026-03-02' });
    expect(query.recordedFrom).toMatch(/^2026-03-01T00:00:00[+-]\d{2}:\d{2}$/);
    expect(query.recordedTo).toMatch(/^2026-03-02T23:59:59\.999[+-]\d{2}:\d{2}$/);
    const partial = toLibraryQuery({ ...EMPTY_FILTERS, recordedFrom: '2026-03', recordedTo: '' });
    expect(partial.recordedFrom).toBeUndefined();
    expect(partial.recordedTo).toBeUndefined();
  });
});
