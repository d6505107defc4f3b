import { describe, expect, it } from 'vitest';
import { formatContainer } from './format';

describe('formatContainer', () => {
  it('names the family member the extension names', () => {
    expect(formatContainer('mov,mp4,m4a,3gp,3g2,mj2', 'located.MOV')).toBe('mov');
    expect(formatContainer('mov,mp4,m4a,3gp,3g2,mj2', 'clip.mp4')).toBe('mp4');
  });

  it('falls back to the first member, and passes single names through', () => {
    expect(formatContainer('mov,mp4,m4a,3gp,3g2,mj2', 'no-extension')).toBe('mov');
    expect(formatContainer('avi', 'x.avi')).toBe('avi');
    expect(formatContainer(undefined, 'x.avi')).toBeUndefined();
  });
});
