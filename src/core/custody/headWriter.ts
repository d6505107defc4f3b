import type { ReadableDB } from '../db/database';
import { writeChainHead } from './chainHead';
import { lastCustody, GENESIS_HASH } from './custodyLog';

/**
 * Keeps the chain head file in step with the database. Appends happen inside transactions, so the
 * writer never trusts the value it was told: after the transaction it reads the committed head
 * and writes that, coalescing bursts into one write and never writing two at once.
 */
export class ChainHeadWriter {
  private scheduled = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: ReadableDB,
    private readonly file: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Call after any append; the write happens once the current transaction has committed. */
  schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.writing.then(() => this.writeNow()).catch(this.onError);
    });
  }

  async flush(): Promise<void> {
    this.schedule();
    await new Promise((resolve) => setImmediate(resolve));
    await this.writing;
  }

  async writeNow(): Promise<void> {
    const last = lastCustody(this.db);
    await writeChainHead(this.file, last ?? { seq: 0, hash: GENESIS_HASH });
  }
}
