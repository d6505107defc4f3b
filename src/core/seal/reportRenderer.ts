import type { CustodyEntry } from '../../shared/schemas';
import type { CaseJson } from '../../shared/sealSchemas';

/** Renders the court report of a case version (`data/report.pdf`, `data/report.html`); same input, same bytes. */
export type ReportRenderer = (input: {
  caseJson: CaseJson;
  custody: CustodyEntry[];
}) => Promise<{ pdf: Buffer; html: string }>;
