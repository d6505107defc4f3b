import type { SourceInfo } from '../media/probe/packets';

/**
 * Stream facts of stored recordings (ffprobe's streams and format), kept per SHA-256. Stored
 * evidence never changes, so what ffprobe said of a file stays true: the clip planner reads only
 * the packets around a range once the item is known (the in and out points move often), and
 * opening a recording, planning and cutting probe its streams once. Least recently used go first;
 * a failed read is not kept.
 */
export class SourceCache {
  private readonly entries = new Map<string, Promise<SourceInfo>>();

  constructor(private readonly limit = 64) {}

  get(sha256: string, read: () => Promise<SourceInfo>): Promise<SourceInfo> {
    const known = this.entries.get(sha256);
    if (known) {
      this.entries.delete(sha256);
      this.entries.set(sha256, known);
      return known;
    }
    const reading = read();
    this.entries.set(sha256, reading);
    reading.catch(() => {
      if (this.entries.get(sha256) === reading) this.entries.delete(sha256);
    });
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return reading;
  }
}
