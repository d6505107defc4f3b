/**
 * Transfer speed from progress samples, over a sliding window so one slow or fast burst does not
 * swing the figure. Times are milliseconds from any monotonic clock (`performance.now()`).
 */
export interface RateSample {
  atMs: number;
  bytes: number;
}

/** How far back the speed looks; long enough to smooth write-cache bursts on USB media. */
export const RATE_WINDOW_MS = 5_000;

/** Appends a sample and drops those older than the window (keeping one just outside it as the base). */
export function addSample(samples: readonly RateSample[], next: RateSample): RateSample[] {
  // A new phase (bytes going backwards) starts a new measurement.
  const kept = samples.length > 0 && next.bytes < samples[samples.length - 1]!.bytes ? [] : [...samples];
  kept.push(next);
  while (kept.length > 2 && next.atMs - kept[1]!.atMs >= RATE_WINDOW_MS) kept.shift();
  return kept;
}

/** Bytes per second over the samples, or null until there is a measurable interval. */
export function bytesPerSecond(samples: readonly RateSample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const ms = last.atMs - first.atMs;
  if (ms <= 0) return null;
  return ((last.bytes - first.bytes) * 1000) / ms;
}

/** `h:mm:ss` or `m:ss` for a time left; whole seconds, rounded up so it never claims "0:00" early. */
export function formatEta(seconds: number): string {
  const total = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
