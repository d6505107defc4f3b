import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { BandwidthLimiter, throttledStream } from './throttle';

/**
 * The bandwidth limit on a simulated clock (each wait advances it), so the figures are exact and
 * no test waits on the wall clock: the bytes let through in a span of time never exceed the rate
 * plus the bucket's quarter second, the bytes come out unchanged and in order, a rate changed
 * mid-stream applies at once, and no limit means no waiting at all.
 */
function simulatedClock() {
  let nowMs = 0;
  const waits: number[] = [];
  return {
    clock: () => nowMs,
    sleep: async (ms: number) => {
      waits.push(ms);
      nowMs += ms;
    },
    now: () => nowMs,
    waits,
  };
}

async function send(limiter: BandwidthLimiter, bytes: Buffer, chunk = 64 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) parts.push(bytes.subarray(i, i + chunk));
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(parts),
    throttledStream(limiter),
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c);
        cb();
      },
    }),
  );
  return Buffer.concat(out);
}

describe('the bandwidth limiter', () => {
  it('lets bytes out no faster than the rate, unchanged', async () => {
    const t = simulatedClock();
    const rate = 100_000;
    const limiter = new BandwidthLimiter(() => rate, t.clock, t.sleep);
    const data = Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => i % 251));
    const out = await send(limiter, data);
    expect(out.equals(data)).toBe(true);
    // 1 MB at 100 kB/s: ten seconds, less the quarter second the bucket may start with (it starts empty).
    expect(t.now()).toBeGreaterThanOrEqual(((data.length - rate / 4) / rate) * 1000);
    expect(t.now()).toBeLessThanOrEqual((data.length / rate) * 1000 + 100);
  });

  it('follows a rate changed while sending, and waits for nothing without a limit', async () => {
    const t = simulatedClock();
    let rate: number | null = 50_000;
    const limiter = new BandwidthLimiter(() => rate, t.clock, t.sleep);
    await send(limiter, Buffer.alloc(100_000));
    const slow = t.now();
    expect(slow).toBeGreaterThanOrEqual(1_500);
    rate = 500_000;
    await send(limiter, Buffer.alloc(100_000));
    expect(t.now() - slow).toBeLessThanOrEqual(250);
    rate = null;
    const before = t.waits.length;
    await send(limiter, Buffer.alloc(5_000_000));
    expect(t.waits.length).toBe(before);
    expect(limiter.pieceBytes()).toBe(Infinity);
  });
});
