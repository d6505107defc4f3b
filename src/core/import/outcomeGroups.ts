/** How many files' outcomes one transaction takes at most. */
export const GROUP_MAX_FILES = 16;
/**
 * How long a ready outcome waits at most for others to join its transaction. Each commit is an
 * fsync that holds the engine's thread (synchronous=FULL); at 100 ms a card of small clips
 * (~25 files/s) committed two or three files at a time. A file is already ~0.3 s from "stored" to
 * "committed" (probe, verify), and the last files of an import never wait (`flushNow`).
 */
export const GROUP_MAX_WAIT_MS = 300;

interface Waiting<T> {
  outcome: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Commits files' outcomes in groups, in ordinal order, so that several files share one fsync'd
 * transaction while each keeps its own outcome row and custody entry, and the custody chain lists
 * them in the order the import found them whatever order they finished in.
 *
 * An outcome is committed once it and every earlier ordinal are ready, with the group that is
 * pending when the first of these holds: `maxFiles` ready in order, `maxWaitMs` after the oldest
 * waiting outcome arrived, `flushNow()` (the caller has nothing else in flight), or `end()`. So an
 * outcome never waits more than `maxWaitMs` beyond its predecessors. Commits run one at a time;
 * `add` resolves once the outcome's group has committed and rejects when `commit` throws.
 */
export class OutcomeGroups<T extends { ordinal: number }> {
  private next = 0;
  private readonly ready = new Map<number, Waiting<T>>();
  private timer: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  private readonly maxFiles: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly commit: (group: T[]) => Promise<void>,
    opts: { maxFiles?: number; maxWaitMs?: number; firstOrdinal?: number } = {},
  ) {
    this.maxFiles = opts.maxFiles ?? GROUP_MAX_FILES;
    this.maxWaitMs = opts.maxWaitMs ?? GROUP_MAX_WAIT_MS;
    this.next = opts.firstOrdinal ?? 0;
  }

  /** Hands over one outcome; each ordinal exactly once. */
  add(outcome: T): Promise<void> {
    if (outcome.ordinal < this.next || this.ready.has(outcome.ordinal)) {
      return Promise.reject(new Error(`outcome ${outcome.ordinal} handed over twice`));
    }
    const committed = new Promise<void>((resolve, reject) => {
      this.ready.set(outcome.ordinal, { outcome, resolve, reject });
    });
    if (this.inOrder() >= this.maxFiles) this.flushNow();
    else this.timer ??= setTimeout(() => this.flushNow(), this.maxWaitMs);
    return committed;
  }

  /** Commits every outcome that is ready in order, now. */
  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const taken: Waiting<T>[] = [];
    for (let w = this.ready.get(this.next); w; w = this.ready.get(this.next)) {
      this.ready.delete(this.next);
      taken.push(w);
      this.next++;
    }
    for (let from = 0; from < taken.length; from += this.maxFiles) {
      const group = taken.slice(from, from + this.maxFiles);
      this.committing = this.committing.then(() =>
        this.commit(group.map((w) => w.outcome)).then(
          () => group.forEach((w) => w.resolve()),
          (error: unknown) => group.forEach((w) => w.reject(error)),
        ),
      );
    }
    // Outcomes behind a gap wait for it; the timer keeps their wait bounded once it closes.
    if (this.ready.size > 0) this.timer = setTimeout(() => this.flushNow(), this.maxWaitMs);
  }

  /** Commits what is left and resolves when every commit asked for has run. */
  async end(): Promise<void> {
    this.flushNow();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.committing;
    if (this.ready.size > 0) {
      const missing = this.next;
      for (const w of this.ready.values()) w.reject(new Error(`no outcome for file ${missing}`));
      this.ready.clear();
      throw new Error(`no outcome for file ${missing}`);
    }
  }

  /** How many outcomes are ready from `next` on without a gap. */
  private inOrder(): number {
    let n = 0;
    while (this.ready.has(this.next + n)) n++;
    return n;
  }
}
