import { describe, expect, it } from 'vitest';
import { matchShortcut, SHORTCUTS } from './shortcuts';

const press = (code: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; repeat: boolean }> = {}) =>
  matchShortcut({ code, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, repeat: false, ...mods });

describe('matchShortcut', () => {
  it('tells frame steps from keyframe jumps by Shift', () => {
    expect(press('Period')).toBe('frameForward');
    expect(press('Period', { shiftKey: true })).toBe('keyframeNext');
    expect(press('ArrowLeft', { shiftKey: true })).toBe('seekBackLong');
  });

  it('lets held step keys repeat but not one-shot actions', () => {
    expect(press('Comma', { repeat: true })).toBe('frameBack');
    expect(press('KeyM', { repeat: true })).toBeNull();
  });

  it('needs Ctrl exactly where the table says so', () => {
    expect(press('KeyZ', { ctrlKey: true })).toBe('undoTag');
    expect(press('KeyZ')).toBeNull();
    expect(press('KeyS', { ctrlKey: true })).toBeNull();
  });

  it('binds no key combination twice', () => {
    const seen = new Set<string>();
    for (const shortcut of SHORTCUTS) {
      for (const chord of shortcut.chords) {
        const id = `${chord.code}|${String(chord.shift ?? false)}|${String(chord.ctrl ?? false)}`;
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
  });
});
