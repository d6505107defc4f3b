import { ViolationCode, type Taxonomy, type ViolationType } from '../../../../shared/reviewSchemas';
import type { MessageKey } from '../../i18n';
import type { MessageParams } from '../../i18n/translate';

/**
 * The admin's unsaved edit of the catalogue: one row per type, with what it was when loaded, so
 * the editor can mark changed rows and count changes. Saving sends every row as the next version.
 */
export interface DraftRow {
  /** Stable React key: the code of a saved type, a made-up key for a new one (its code may change). */
  key: string;
  type: ViolationType;
  /** The type as loaded; null for a row added in this edit. */
  original: ViolationType | null;
}

export interface DraftProblem {
  key: MessageKey;
  params?: MessageParams;
}

export function rowsOf(taxonomy: Taxonomy): DraftRow[] {
  return taxonomy.types.map((type) => ({ key: `saved:${type.code}`, type: { ...type }, original: type }));
}

let newRowCounter = 0;

export function newRow(): DraftRow {
  newRowCounter += 1;
  return {
    key: `new:${newRowCounter}`,
    type: { code: '', nameZh: '', nameEn: '', legalBasis: '', retired: false },
    original: null,
  };
}

export function isRowChanged(row: DraftRow): boolean {
  const { type, original } = row;
  if (!original) return true;
  return (
    type.nameZh !== original.nameZh ||
    type.nameEn !== original.nameEn ||
    type.legalBasis !== original.legalBasis ||
    type.retired !== original.retired
  );
}

export function countChanges(rows: readonly DraftRow[]): number {
  return rows.filter(isRowChanged).length;
}

/** The form's own checks, in row order (1-based rows as the admin sees them); empty when it may be saved. */
export function findProblems(rows: readonly DraftRow[]): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    const code = row.type.code.trim();
    if (!ViolationCode.safeParse(code).success) {
      problems.push({ key: 'taxonomy.invalidCode', params: { row: index + 1 } });
    } else if (seen.has(code)) {
      problems.push({ key: 'taxonomy.duplicateCode', params: { code } });
    }
    seen.add(code);
    if (row.type.nameZh.trim() === '' || row.type.nameEn.trim() === '') {
      problems.push({ key: 'taxonomy.missingName', params: { row: index + 1 } });
    }
  });
  return problems;
}

export function typesOf(rows: readonly DraftRow[]): ViolationType[] {
  return rows.map(({ type }) => ({
    code: type.code.trim(),
    nameZh: type.nameZh.trim(),
    nameEn: type.nameEn.trim(),
    legalBasis: type.legalBasis.trim(),
    retired: type.retired,
  }));
}

/** Whether a row passes the editor's text filter (code or either name, case-insensitive). */
export function rowMatches(type: ViolationType, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (needle === '') return true;
  return [type.code, type.nameZh, type.nameEn].some((value) => value.toLowerCase().includes(needle));
}
