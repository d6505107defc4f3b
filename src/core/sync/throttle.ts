import { Transform } from 'node:stream';

/**
 * The optional upload bandwidth limit: one token bucket per engine, shared by whatever it uploads,
 * so the limit holds for the station as a whole. The bucket holds at most a quarter second of
 * bytes, so a pause does not turn into a burst at full speed afterwards. The rate is read on
 * every take, so a changed setting applies to the upload already running.
 */
export class BandwidthLimiter {
  private available = 0;
  private last: number;

  constructor(
    /** Bytes per second, or null for no limit. */
    private readonly rate: () => number | null,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.last = clock();
  }

  /** Largest piece a stream should ask for at once: a tenth of a second's worth, at least 1 KiB. */
  pieceBytes(): number {
    const rate = this.rate();
    return rate === null ? Infinity : Math.max(1024, Math.floor(rate / 10));
  }

  /** Resolves once `bytes` may be sent; at once when no limit is set. */
  async take(bytes: number): Promise<void> {
    for (;;) {
      const rate = this.rate();
      if (rate === null) return;
      const now = this.clock();
      this.available = Math.min(rate / 4, this.available + ((now - this.last) / 1000) * rate);
      this.last = now;
      if (this.available >= bytes || (bytes > rate / 4 && this.available >= rate / 4)) {
        this.available -= bytes;
        return;
      }
      await this.sleep(Math.max(1, Math.ceil(((Math.min(bytes, rate / 4) - this.available) / rate) * 1000)));
    }
  }
}

/** A pass-through stream that lets bytes out no faster than the limiter allows. */
export function throttledStream(limiter: BandwidthLimiter): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const push = async (): Promise<void> => {
        const piece = limiter.pieceBytes();
        for (let i = 0; i < chunk.length; i += piece) {
          const part = piece === Infinity ? chunk : chunk.subarray(i, i + piece);
          await limiter.take(part.length);
          this.push(part);
          if (piece === Infinity) break;
        }
      };
      push().then(() => callback(), callback);
    },
  });
}
