import { describe, expect, it } from 'vitest';
import type { SourceInfo } from '../media/probe/packets';
import { SourceCache } from './sourceCache';

const info = (formatName: string): SourceInfo =>
  ({ formatName, startSec: 0, durationSec: 1, streams: [] }) as unknown as SourceInfo;

describe('SourceCache', () => {
  it('reads a recording once, also when asked twice at the same time', async () => {
    const cache = new SourceCache();
    let reads = 0;
    const read = async () => {
      reads += 1;
      return info('mp4');
    };
    const [a, b] = await Promise.all([cache.get('a', read), cache.get('a', read)]);
    expect(a).toBe(b);
    expect(await cache.get('a', read)).toBe(a);
    expect(reads).toBe(1);
  });

  it('does not keep a failed read', async () => {
    const cache = new SourceCache();
    await expect(cache.get('a', () => Promise.reject(new Error('ffprobe died')))).rejects.toThrow('ffprobe died');
    expect((await cache.get('a', async () => info('mpegts'))).formatName).toBe('mpegts');
  });

  it('lets the least recently used go first', async () => {
    const cache = new SourceCache(2);
    const reads: string[] = [];
    const read = (sha: string) => async () => {
      reads.push(sha);
      return info(sha);
    };
    await cache.get('a', read('a'));
    await cache.get('b', read('b'));
    await cache.get('a', read('a'));
    await cache.get('c', read('c'));
    await cache.get('a', read('a'));
    await cache.get('b', read('b'));
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });
});
