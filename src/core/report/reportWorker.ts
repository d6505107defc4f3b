import { parentPort, workerData } from 'node:worker_threads';
import { composeReport, type ReportWorkerMessage, type ReportWorkerRequest } from './composeReport';
import { locateReportFonts } from './fonts';
import { warmUpReportFonts } from './warmUp';

/**
 * Renders reports one at a time, in the order asked, for as long as the engine keeps it. Started
 * warm (`workerData.warm`), it first lays out a throwaway page in both typefaces, so that the
 * first real report finds the font and layout code already compiled.
 */
function post(message: ReportWorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort?.postMessage(message, transfer);
}

function failureText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

let queue: Promise<void> = (workerData as { warm?: boolean } | null)?.warm
  ? warmUpReportFonts(locateReportFonts()).catch(() => undefined)
  : Promise.resolve();

parentPort?.on('message', (request: ReportWorkerRequest) => {
  queue = queue.then(() =>
    composeReport(request.input).then(
      ({ pdf, html }) => {
        const bytes = pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength) as ArrayBuffer;
        post({ id: request.id, ok: true, pdf: bytes, html }, [bytes]);
      },
      (error: unknown) => post({ id: request.id, ok: false, message: failureText(error) }),
    ),
  );
});
