import { stat } from 'node:fs/promises';
import type { SeekSide } from './seekServers';
import { median, percentile } from './stats';

export interface RangeProbe {
  label: string;
  medianMs: number;
  p95Ms: number;
}

/**
 * Per-request cost without a browser: `count` sequential Range requests of `bytes` at spread
 * offsets over one kept-alive connection, each read to the end. Explains a gap between the sides
 * (auth, session lookup, stat, headers) apart from how the player fetches.
 */
export async function probeRanges(side: SeekSide, file: string, bytes: number, count: number): Promise<RangeProbe> {
  const { size } = await stat(file);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    // A fixed stride (golden ratio) spreads the offsets evenly without a random source.
    const start = Math.floor(((i * 0.618033988749895) % 1) * (size - bytes));
    const began = performance.now();
    const response = await fetch(side.mediaUrl, {
      headers: { ...side.headers, range: `bytes=${start}-${start + bytes - 1}` },
    });
    const body = await response.arrayBuffer();
    samples.push(performance.now() - began);
    if (response.status !== 206 || body.byteLength !== bytes) {
      throw new Error(`${side.label}: range request answered ${response.status} with ${body.byteLength} bytes`);
    }
  }
  return { label: side.label, medianMs: median(samples), p95Ms: percentile(samples, 95) };
}
