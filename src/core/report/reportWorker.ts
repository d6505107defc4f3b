import { parentPort, workerData } from 'node:worker_threads';
import { composeReport, type ReportInput, type ReportWorkerMessage } from './composeReport';

/** One report per worker: it renders the input it was started with, posts the result and ends. */
function post(message: ReportWorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

composeReport((workerData as { input: ReportInput }).input).then(
  ({ pdf, html }) => {
    const bytes = pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer;
    post({ ok: true, pdf: bytes, html }, [bytes]);
  },
  (error: unknown) =>
    post({ ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
