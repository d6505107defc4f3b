/**
 * Decides when looking at evidence goes on the custody log. Every view is on the record, but a
 * reviewer scrubbing through a recording opens it (and its byte ranges) hundreds of times: one
 * `item.view` entry per account and item per window is enough to show who looked at what, when.
 *
 * Kept in memory on purpose: after a restart the first view is logged again, which errs on the
 * side of the record.
 */

/** Ten minutes: the lead's choice in the issue 3 design notes. */
export const VIEW_WINDOW_MS = 10 * 60_000;

/** Past this many remembered views, entries older than the window are dropped. */
const PRUNE_AT = 10_000;

export class ViewLog {
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly windowMs: number = VIEW_WINDOW_MS,
  ) {}

  /**
   * True when `account` has no view of `itemId` logged within the window; the view then counts
   * as logged from now, so the caller must log it. The window runs from the last logged view, so
   * a long session leaves one entry per window rather than one in total.
   */
  claim(account: string, itemId: string): boolean {
    const at = this.now().getTime();
    const key = `${account}\u0000${itemId}`;
    const last = this.lastLogged.get(key);
    if (last !== undefined && at - last < this.windowMs && at >= last) return false;
    this.lastLogged.set(key, at);
    if (this.lastLogged.size > PRUNE_AT) this.prune(at);
    return true;
  }

  /** Forgets a claim whose entry could not be written, so the next view tries again. */
  release(account: string, itemId: string): void {
    this.lastLogged.delete(`${account}\u0000${itemId}`);
  }

  private prune(at: number): void {
    for (const [key, last] of this.lastLogged) {
      if (at - last >= this.windowMs) this.lastLogged.delete(key);
    }
  }
}
