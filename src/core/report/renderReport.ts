import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/startWorker';
import type { ReportInput, ReportOutput, ReportWorkerMessage, ReportWorkerRequest } from './composeReport';

export type { ReportInput, ReportOutput } from './composeReport';

/**
 * The court report of a sealed case version: `data/report.pdf` and `data/report.html` of its
 * package. Both are payload files, hashed into the manifest, so the report can name the key
 * fingerprint but never the tag manifest's hash. Same input, same bytes.
 *
 * Laying out a large case takes a second or two of CPU (2,000 custody entries are some thirty
 * pages), so it runs in a worker thread and the engine keeps answering meanwhile.
 */

/**
 * A smaller young generation than V8's default: the layout makes many short-lived objects, and
 * the default semi-spaces let them pile up to some twenty megabytes more of resident memory while
 * the seal's hashing runs beside it. The old generation is left unbounded, so a large case cannot
 * run the worker out of memory.
 */
const REPORT_LIMITS = { maxYoungGenerationSizeMb: 8 };

interface Pending {
  resolve(output: ReportOutput): void;
  reject(error: Error): void;
}

/**
 * One report worker, kept between reports. Starting a worker and compiling the font code costs
 * more than most reports, so an engine that will seal keeps one ready (`prestart`, which also
 * warms the font code); otherwise the first report starts it. An idle worker does not keep the
 * process alive; a worker that dies fails what it had and the next report starts another.
 */
export class ReportWorkerHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  /** Starts the worker now and has it warm its font code, for a report asked later. */
  prestart(): void {
    if (!this.closed) this.ensureWorker(true);
  }

  readonly render = (input: ReportInput): Promise<ReportOutput> => {
    if (this.closed) return Promise.reject(new Error('The report worker is closed: the engine is closing.'));
    const worker = this.ensureWorker(false);
    const id = this.nextId++;
    return new Promise<ReportOutput>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      const request: ReportWorkerRequest = { id, input };
      worker.postMessage(request);
    });
  };

  /** Ends the worker; a report in progress fails. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
    this.failAll(new Error('The report was not made: the engine closed while it was being laid out.'));
  }

  private ensureWorker(warm: boolean): Worker {
    if (this.worker) return this.worker;
    // From source this module is a .ts file beside the worker's .ts; in a bundle both are .js.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const worker = startWorker(
      new URL(`./reportWorker${ext}`, import.meta.url),
      { warm },
      {
        resourceLimits: REPORT_LIMITS,
      },
    );
    worker.unref();
    worker.on('message', (message: ReportWorkerMessage) => {
      const p = this.pending.get(message.id);
      if (!p) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) p.resolve({ pdf: Buffer.from(message.pdf), html: message.html });
      else p.reject(new Error(`The court report could not be made: ${message.message}`));
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(error);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.failAll(new Error(`The report worker ended (exit code ${code}) before it gave a report.`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** One report in a worker of its own, ended once it has answered. */
export async function renderReport(input: ReportInput): Promise<ReportOutput> {
  const host = new ReportWorkerHost();
  try {
    return await host.render(input);
  } finally {
    await host.close();
  }
}
