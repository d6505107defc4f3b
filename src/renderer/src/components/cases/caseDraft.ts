import type { CaseDetail, CaseParty } from '../../../../shared/reviewSchemas';
import type { MessageKey } from '../../i18n';
import { fromLocalInput, toLocalInput } from './stationTime';

/** A case's editable fields as the form holds them: the time as a `datetime-local` value. */
export interface CaseDraft {
  title: string;
  place: string;
  occurredAtLocal: string;
  parties: CaseParty[];
  notes: string;
}

export interface CaseFieldValues {
  title: string;
  place: string;
  occurredAt: string | null;
  parties: CaseParty[];
  notes: string;
}

export function draftOf(detail?: CaseDetail): CaseDraft {
  return {
    title: detail?.title ?? '',
    place: detail?.place ?? '',
    occurredAtLocal: toLocalInput(detail?.occurredAt ?? null),
    parties: detail?.parties.map((p) => ({ ...p })) ?? [],
    notes: detail?.notes ?? '',
  };
}

/** The form's own checks before the station's: a readable time, a name on every party. */
export function checkDraft(draft: CaseDraft): { values: CaseFieldValues } | { problem: MessageKey } {
  const occurredAt = fromLocalInput(draft.occurredAtLocal);
  if (occurredAt === undefined) return { problem: 'caseForm.invalidTime' };
  if (draft.parties.some((p) => p.name.trim() === '')) return { problem: 'caseForm.partyNameMissing' };
  return {
    values: {
      title: draft.title.trim(),
      place: draft.place.trim(),
      occurredAt,
      parties: draft.parties.map((p) => ({ kind: p.kind, name: p.name.trim(), detail: p.detail.trim() })),
      notes: draft.notes,
    },
  };
}
