import { startWorker } from '../workers/startWorker';
import type { ReportInput, ReportOutput, ReportWorkerMessage } from './composeReport';

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

export function renderReport(input: ReportInput): Promise<ReportOutput> {
  // From source this module is a .ts file beside the worker's .ts; in a bundle both are .js.
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new Promise<ReportOutput>((resolve, reject) => {
    const worker = startWorker(
      new URL(`./reportWorker${ext}`, import.meta.url),
      { input },
      { resourceLimits: REPORT_LIMITS },
    );
    let settled = false;
    worker.once('message', (message: ReportWorkerMessage) => {
      settled = true;
      if (message.ok) resolve({ pdf: Buffer.from(message.pdf), html: message.html });
      else reject(new Error(`The court report could not be made: ${message.message}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`The report worker ended (exit code ${code}) before it gave a report.`));
    });
  });
}
