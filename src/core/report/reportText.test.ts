import { describe, expect, it } from 'vitest';
import { formatBytes, formatInstant, formatMediaTime, formatRange, groupDigits, visibleText } from './reportText';

describe('visibleText', () => {
  it('shows control, bidi and zero-width characters as code points, and leaves Chinese alone', () => {
    expect(visibleText('照片\u0007_\u202Egpj.exe\u200B\n')).toBe('照片[U+0007]_[U+202E]gpj.exe[U+200B][U+000A]');
    expect(visibleText('执法记录仪_01.MP4')).toBe('执法记录仪_01.MP4');
  });

  it('shows a lone surrogate and keeps a real pair (an emoji) whole', () => {
    expect(visibleText('a\uD800b')).toBe('a[U+D800]b');
    expect(visibleText('a😀b')).toBe('a😀b');
  });
});

describe('formatInstant', () => {
  it('keeps the recorded offset and never converts to the host zone', () => {
    expect(formatInstant('2026-03-14T10:20:30.000+08:00')).toBe('2026-03-14 10:20:30 +08:00');
    expect(formatInstant('2026-03-14T02:20:30.250Z')).toBe('2026-03-14 02:20:30.250 UTC');
    expect(formatInstant(null)).toBe('—');
  });
});

describe('numbers and media times', () => {
  it('groups digits the same way on every locale', () => {
    expect(groupDigits(734003200)).toBe('734 003 200');
    expect(groupDigits(999)).toBe('999');
    expect(formatBytes(734003200)).toEqual({ short: '700.0 MB', exact: '734 003 200 B' });
    expect(formatBytes(512)).toEqual({ short: '512 B', exact: '512 B' });
  });

  it('writes media times as players show them', () => {
    expect(formatMediaTime(3725.0404)).toBe('1:02:05.040');
    expect(formatRange(12.4, 58.92)).toBe('0:00:12.400 – 0:00:58.920');
    expect(formatRange(30.04, null)).toBe('0:00:30.040');
    expect(formatRange(null, null)).toBe('—');
  });
});
