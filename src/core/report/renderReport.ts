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

/**
 * The court report of a sealed case version: `data/report.pdf` and `data/report.html` of its
 * package. Both are payload files, hashed into the manifest, so the report can name the key
 * fingerprint but never the tag manifest's hash. Same input, same bytes.
 */
export async function renderReport(input: ReportInput): Promise<{ pdf: Buffer; html: string }> {
  const model = buildReportModel(input.caseJson, input.custody);
  const pdf = await renderReportPdf(model, locateReportFonts());
  return { pdf, html: renderReportHtml(model) };
}
