import { rename } from 'node:fs/promises';
import { inTransaction, type WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { stationTimestamp } from '../util/time';
import {
  headFileText,
  readHeadFile,
  readHeadFileSync,
  writeChainHead,
  type ChainHead,
  type HeadFileState,
} from './chainHead';
import { compareHead, lostHead } from './compareHead';
import { GENESIS_HASH, lastCustody } from './custodyLog';
import { describeProblem, recordProblem, severityOf, type ProblemDraft } from './problemsRepo';

/**
 * Keeps the chain head file in step with the database, and never lets it be used to hide a loss.
 *
 * Appends happen inside transactions, so the writer never trusts the value it was told: after the
 * transaction it reads the committed head and writes that, coalescing bursts into one write and
 * never writing two at once. Before it writes, it compares:
 * - the file with what this engine last wrote or examined: a file changed behind its back (edited,
 *   deleted, unreadable) is compared with the database and any disagreement is recorded;
 * - the database with the furthest head this engine has known (`mark`): entries removed or
 *   replaced while it runs are recorded, and `checkBeforeAppend` makes the same check before an
 *   append can reuse their seqs.
 * The mark never moves back and the file is never written with a value behind it or beside it
 * (same seq, other hash): after entries were removed, the file keeps naming the lost head until
 * the chain has grown past it. Problems are stored in the database (`custody_problems`), so they
 * stay visible after someone puts the file "right".
 */
export class ChainHeadWriter {
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();
  private mark: ChainHead | null = null;
  /** The file's text as this engine last wrote or examined it (null: absent); undefined before the first look. */
  private seenText: string | null | undefined = undefined;
  private pending: ProblemDraft[] = [];
  /** The text being written now: the file may hold it before the write resolves. */
  private writingText: string | undefined = undefined;
  /** A file found naming a problem, to be kept as found (renamed) rather than replaced. */
  private keepAside: 'unreadable' | 'found' | null = null;
  private movingAside = false;

  constructor(
    private readonly opts: {
      db: WritableDB;
      file: string;
      log: Logger;
      now: () => Date;
      /** After the file has been written with a new head (the checkpointer listens here). */
      onWritten?: (head: ChainHead) => void;
    },
  ) {}

  /** Call after any append; the write happens once the current transaction has committed. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.enqueue();
    });
  }

  /**
   * Resolves when the passes already asked for are done, without asking for one: readers wait here
   * so that they see what this engine has found, and never cause a write themselves.
   */
  async idle(): Promise<void> {
    if (this.scheduled) await new Promise((resolve) => setImmediate(resolve));
    await this.writing;
  }

  async flush(): Promise<void> {
    this.schedule();
    await new Promise((resolve) => setImmediate(resolve));
    await this.writing;
  }

  /** One pass now (at start, before anything appends): compare, record, write if allowed. */
  writeNow(): Promise<void> {
    return this.enqueue();
  }

  /**
   * Cheap, synchronous, run by every append (`custody/guardedAppend.ts`) inside its transaction,
   * before the entry is written: is the head file still what this engine last wrote, and is the
   * furthest head this engine knew still in the database? What it finds is judged against the
   * chain as it was before this append (a file edited between two imports is not mistaken for a
   * crash's lag, removed seqs are named before they are reused) and stored with the append.
   */
  checkBeforeAppend(): void {
    const at = stationTimestamp(this.opts.now());
    if (this.seenText !== undefined) {
      const found = readHeadFileSync(this.opts.file);
      const text = found.state === 'missing' ? null : found.text;
      const expected = text === this.seenText || text === this.writingText || (text === null && this.movingAside);
      if (!expected) {
        const draft = this.examine(found, text);
        if (draft) this.storeNow(draft, at);
      }
    }
    if (!this.mark) return;
    const lost = lostHead(this.opts.db, this.mark);
    if (lost) this.storeNow(lost, at);
  }

  /**
   * Stored now, inside the caller's transaction, so it commits with the append; kept for the next
   * pass too, in case that transaction rolls back (the store ignores a known problem).
   */
  private storeNow(draft: ProblemDraft, at: string): void {
    recordProblem(this.opts.db, draft, at);
    this.pending.push(draft);
    this.schedule();
  }

  /**
   * Compares a head file this engine did not write with the database, raises the mark to a head it
   * names, and remembers a file that must be kept as found rather than written over.
   */
  private examine(found: HeadFileState, text: string | null): ProblemDraft | null {
    const draft = compareHead(this.opts.db, found);
    if (found.state === 'ok') this.raiseMark(found.head);
    this.seenText = text;
    if (found.state === 'unreadable') this.keepAside = 'unreadable';
    else if (found.state === 'ok' && draft && severityOf(draft.kind) === 'problem') this.keepAside = 'found';
    return draft;
  }

  private enqueue(): Promise<void> {
    this.writing = this.writing
      .then(() => this.pass())
      .catch((error: unknown) =>
        this.opts.log.error('could not write the custody chain head', { error: String(error) }),
      );
    return this.writing;
  }

  private async pass(): Promise<void> {
    const { db, file } = this.opts;
    const found = await readHeadFile(file);
    const text = found.state === 'missing' ? null : found.text;
    if (this.seenText === undefined || text !== this.seenText) {
      const draft = this.examine(found, text);
      if (draft) this.pending.push(draft);
    }
    if (this.keepAside === 'unreadable') {
      // Kept as found, beside the head that replaces it; its text is also in the problem record.
      await this.moveAside('unreadable');
    }
    if (this.mark) {
      const lost = lostHead(db, this.mark);
      if (lost) this.pending.push(lost);
    }
    this.storePending();

    const last = lastCustody(db) ?? { seq: 0, hash: GENESIS_HASH };
    const mayWrite =
      !this.mark || last.seq > this.mark.seq || (last.seq === this.mark.seq && last.hash === this.mark.hash);
    if (!mayWrite) return;
    this.mark = last;
    const next = headFileText(last);
    if (next === this.seenText) return;
    // A head that named lost entries is evidence of the loss: the chain has grown past it, but the
    // file is kept as found beside the new one, never written over.
    if (this.keepAside === 'found') await this.moveAside('found');
    this.writingText = next;
    try {
      await writeChainHead(file, last);
    } finally {
      this.writingText = undefined;
    }
    this.seenText = next;
    this.opts.onWritten?.(last);
  }

  private async moveAside(as: 'unreadable' | 'found'): Promise<void> {
    this.keepAside = null;
    if (this.seenText === null) return;
    const aside = `${this.opts.file}.${as}-${Date.now()}`;
    // An append checking the file meanwhile may find it gone: that is this rename, not a loss.
    this.movingAside = true;
    try {
      await rename(this.opts.file, aside).then(
        () => this.opts.log.warn('the custody head file was kept aside as found', { file: aside }),
        () => undefined,
      );
      this.seenText = null;
    } finally {
      this.movingAside = false;
    }
  }

  private raiseMark(head: ChainHead): void {
    if (!this.mark || head.seq > this.mark.seq) this.mark = head;
  }

  private storePending(): void {
    if (this.pending.length === 0) return;
    const drafts = this.pending;
    this.pending = [];
    const at = stationTimestamp(this.opts.now());
    const stored = inTransaction(this.opts.db, () => drafts.map((d) => recordProblem(this.opts.db, d, at)));
    for (const p of stored) {
      if (!p) continue;
      const fields = { custodyProblem: p.id, kind: p.kind, firstSeq: p.firstSeq, lastSeq: p.lastSeq };
      if (p.severity === 'note') this.opts.log.warn(describeProblem(p), fields);
      else this.opts.log.error(describeProblem(p), fields);
    }
  }
}
