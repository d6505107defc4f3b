import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, keepOnly, moveIndex, selectOnly, selectRange, toggle } from './selection';

describe('library selection', () => {
  it('selects one, toggles with Ctrl, and ranges from the anchor with Shift', () => {
    let s = selectOnly(2, 'c');
    s = toggle(s, 5, 'f');
    expect(s).toEqual({ ids: ['c', 'f'], focusId: 'f', focusIndex: 5, anchorIndex: 5 });
    s = toggle(s, 2, 'c');
    expect(s.ids).toEqual(['f']);
    s = selectRange(s, 3, 'd', ['c', 'd', 'e', 'f']);
    expect(s).toEqual({ ids: ['c', 'd', 'e', 'f'], focusId: 'd', focusIndex: 3, anchorIndex: 2 });
    expect(selectRange(EMPTY_SELECTION, 4, 'e', ['e']).anchorIndex).toBe(4);
  });

  it('keeps the ids still listed and drops the focus when it left', () => {
    const s = { ids: ['a', 'b', 'c'], focusId: 'b', focusIndex: 1, anchorIndex: 0 };
    expect(keepOnly(s, (id) => ['a', 'b', 'c'].includes(id))).toBe(s);
    expect(keepOnly(s, (id) => ['a', 'c'].includes(id))).toEqual({
      ids: ['a', 'c'],
      focusId: null,
      focusIndex: null,
      anchorIndex: null,
    });
    expect(keepOnly(s, (id) => id === 'b')).toEqual({ ids: ['b'], focusId: 'b', focusIndex: 1, anchorIndex: 0 });
  });

  it('moves by one in the list and by a row in the grid, within the list', () => {
    expect(moveIndex(null, 'ArrowDown', 1, 10)).toBe(0);
    expect(moveIndex(3, 'ArrowDown', 1, 10)).toBe(4);
    expect(moveIndex(0, 'ArrowUp', 1, 10)).toBe(0);
    expect(moveIndex(3, 'ArrowRight', 1, 10)).toBe(3);
    expect(moveIndex(3, 'ArrowDown', 4, 10)).toBe(7);
    expect(moveIndex(7, 'ArrowDown', 4, 10)).toBe(9);
    expect(moveIndex(5, 'ArrowLeft', 4, 10)).toBe(4);
    expect(moveIndex(5, 'Enter', 4, 10)).toBeNull();
    expect(moveIndex(null, 'ArrowDown', 1, 0)).toBeNull();
    // Home and End reach the ends, from anywhere; other keys are not moves, focus or not.
    expect(moveIndex(null, 'End', 4, 100_000)).toBe(99_999);
    expect(moveIndex(5, 'Home', 4, 100_000)).toBe(0);
    expect(moveIndex(null, 'PageDown', 1, 10)).toBeNull();
    expect(moveIndex(null, 'x', 1, 10)).toBeNull();
  });
});
