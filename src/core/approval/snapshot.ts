import { CaseJson } from '../../shared/sealSchemas';
import type { CaseVersionRow } from '../seal/caseVersionsRepo';

/** A sealed version's frozen `case.json`, parsed with the package schema (the row holds the exact text). */
export function snapshotOf(row: Pick<CaseVersionRow, 'snapshot'>): CaseJson {
  return CaseJson.parse(JSON.parse(row.snapshot));
}
