/**
 * Answers read from stored evidence, kept by key. Stored files never change, so what was read of
 * one stays true for the life of the engine. Asked twice at once, the read runs once; a failed
 * read is not kept; the least recently used go first.
 */
export class KeptReads<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly limit: number) {}

  get(key: string, read: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key);
    if (known) {
      this.entries.delete(key);
      this.entries.set(key, known);
      return known;
    }
    const reading = read();
    this.entries.set(key, reading);
    reading.catch(() => {
      if (this.entries.get(key) === reading) this.entries.delete(key);
    });
    while (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return reading;
  }
}
