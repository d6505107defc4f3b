import type { CustodyEntry } from '../../shared/schemas';
import type { CaseJson } from '../../shared/sealSchemas';
import { locateReportFonts } from './fonts';
import { renderReportHtml } from './reportHtml';
import { buildReportModel } from './reportModel';
import { renderReportPdf } from './reportPdf';

export interface ReportInput {
  /** The package's `data/case.json`, as it will be written. */
  caseJson: CaseJson;
  /** The package's `data/custody.jsonl` entries, in order. */
  custody: CustodyEntry[];
}

export interface ReportOutput {
  pdf: Buffer;
  html: string;
}

/** What the report worker is asked: one report, answered under the same id. */
export interface ReportWorkerRequest {
  id: number;
  input: ReportInput;
}

/** What the report worker posts back: the PDF's bytes are transferred, not copied. */
export type ReportWorkerMessage =
  { id: number; ok: true; pdf: ArrayBuffer; html: string } | { id: number; ok: false; message: string };

/** Builds both files on the calling thread; `renderReport` runs this in a worker. */
export async function composeReport(input: ReportInput): Promise<ReportOutput> {
  const model = buildReportModel(input.caseJson, input.custody);
  const pdf = await renderReportPdf(model, locateReportFonts());
  return { pdf, html: renderReportHtml(model) };
}
