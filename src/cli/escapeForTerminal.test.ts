import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from './escapeForTerminal';

describe('escapeForTerminal', () => {
  it('leaves ordinary names alone, Chinese and spaces included', () => {
    expect(escapeForTerminal('DCIM/100MEDIA/执法记录 0001.MP4')).toBe('DCIM/100MEDIA/执法记录 0001.MP4');
  });

  it('writes control characters, separators and bidi overrides as escapes', () => {
    expect(escapeForTerminal('a\x1b[2Jb')).toBe('a\\x1b[2Jb');
    expect(escapeForTerminal('x\nFAKE: all files verified')).toBe('x\\nFAKE: all files verified');
    expect(escapeForTerminal('a\rb\tc\x00d\x7fe')).toBe('a\\rb\\tc\\x00d\\x7fe');
    expect(escapeForTerminal('csi\u009b2J')).toBe('csi\\x9b2J');
    expect(escapeForTerminal('photo\u202egpj.exe')).toBe('photo\\u{202e}gpj.exe');
    expect(escapeForTerminal('line\u2028next')).toBe('line\\u{2028}next');
  });

  it('doubles a backslash unless it is the path separator, so an escape is never ambiguous', () => {
    expect(escapeForTerminal('a\\x1b', { escapeBackslash: true })).toBe('a\\\\x1b');
    expect(escapeForTerminal('C:\\DCIM\\a.mp4', { escapeBackslash: false })).toBe('C:\\DCIM\\a.mp4');
  });
});
