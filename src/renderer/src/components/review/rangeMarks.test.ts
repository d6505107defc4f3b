import { describe, expect, it } from 'vitest';
import { markIn, markOut } from './rangeMarks';
import { NO_RANGE } from './reviewTypes';

describe('in and out marks', () => {
  it('sets either point alone or both in order, clearing nothing', () => {
    expect(markIn(NO_RANGE, 2)).toEqual({ range: { inSec: 2, outSec: null }, dropped: null });
    expect(markOut(NO_RANGE, 3)).toEqual({ range: { inSec: null, outSec: 3 }, dropped: null });
    expect(markOut({ inSec: 2, outSec: null }, 3)).toEqual({ range: { inSec: 2, outSec: 3 }, dropped: null });
    expect(markIn({ inSec: null, outSec: 3 }, 2)).toEqual({ range: { inSec: 2, outSec: 3 }, dropped: null });
  });

  it('says that an out point before the in point cleared the in point', () => {
    expect(markOut({ inSec: 3, outSec: null }, 1)).toEqual({
      range: { inSec: null, outSec: 1 },
      dropped: { dropped: 'in', inSec: 3, outSec: 1 },
    });
    // The out point is exclusive: at the in point it would make an empty range.
    expect(markOut({ inSec: 3, outSec: 5 }, 3).dropped).toEqual({ dropped: 'in', inSec: 3, outSec: 3 });
  });

  it('says that an in point after the out point cleared the out point', () => {
    expect(markIn({ inSec: 1, outSec: 2 }, 4)).toEqual({
      range: { inSec: 4, outSec: null },
      dropped: { dropped: 'out', inSec: 4, outSec: 2 },
    });
  });
});
