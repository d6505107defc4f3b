import { CaseParty } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { DateTimeField } from '../common/DateTimeField';
import { FormField, TextField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { Select } from '../common/Select';
import type { CaseDraft } from './caseDraft';
import { stationZoneLabel } from './stationTime';

const PARTY_KINDS = CaseParty.shape.kind.options;

/** The editable fields of a case (create dialog and draft editing share them); no buttons. */
export function CaseFields({ draft, onChange }: { draft: CaseDraft; onChange(draft: CaseDraft): void }) {
  const { t } = useI18n();
  const set = <K extends keyof CaseDraft>(key: K, value: CaseDraft[K]) => onChange({ ...draft, [key]: value });
  return (
    <>
      <TextField
        label={t('caseForm.title')}
        value={draft.title}
        onValueChange={(title) => set('title', title)}
        placeholder={t('caseForm.titlePlaceholder')}
        required
        maxLength={200}
        testId="case-field-title"
      />
      <div className="form-row">
        <TextField
          label={t('caseForm.place')}
          fieldClassName="grow"
          value={draft.place}
          onValueChange={(place) => set('place', place)}
          placeholder={t('caseForm.placePlaceholder')}
          maxLength={500}
          testId="case-field-place"
        />
        <DateTimeField
          label={t('caseForm.occurredAt')}
          hint={t('caseForm.occurredAtHint', { zone: stationZoneLabel() })}
          fieldClassName="case-time-field"
          withTime
          value={draft.occurredAtLocal}
          onValueChange={(occurredAtLocal) => set('occurredAtLocal', occurredAtLocal)}
          testId="case-field-occurred"
        />
      </div>
      <PartiesEditor parties={draft.parties} onChange={(parties) => set('parties', parties)} />
      <FormField label={t('caseForm.notes')}>
        <textarea
          rows={3}
          value={draft.notes}
          maxLength={20000}
          onChange={(e) => set('notes', e.target.value)}
          data-testid="case-field-notes"
        />
      </FormField>
    </>
  );
}

function PartiesEditor({ parties, onChange }: { parties: CaseParty[]; onChange(parties: CaseParty[]): void }) {
  const { t } = useI18n();
  const update = (index: number, patch: Partial<CaseParty>) =>
    onChange(parties.map((party, i) => (i === index ? { ...party, ...patch } : party)));
  return (
    <fieldset className="parties-editor" data-testid="parties-editor">
      <legend>{t('caseForm.parties')}</legend>
      {parties.length === 0 ? <p className="muted small">{t('caseForm.partiesNone')}</p> : null}
      {parties.length > 0 ? (
        <div className="party-row party-head" aria-hidden="true">
          <span>{t('caseForm.partyKind')}</span>
          <span>{t('caseForm.partyName')}</span>
          <span>{t('caseForm.partyDetail')}</span>
          <span />
        </div>
      ) : null}
      {parties.map((party, index) => (
        <div className="party-row" key={index} data-testid="party-row">
          <Select
            value={party.kind}
            options={PARTY_KINDS}
            labelOf={(kind) => t(`party.${kind}`)}
            onValueChange={(kind) => update(index, { kind })}
            testId="party-kind"
          />
          <input
            value={party.name}
            onChange={(e) => update(index, { name: e.target.value })}
            aria-label={t('caseForm.partyName')}
            maxLength={200}
            required
            className={party.kind === 'vehicle' ? 'mono' : undefined}
            data-testid="party-name"
          />
          <input
            value={party.detail}
            onChange={(e) => update(index, { detail: e.target.value })}
            aria-label={t('caseForm.partyDetail')}
            placeholder={t('caseForm.partyDetailPlaceholder')}
            maxLength={1000}
            data-testid="party-detail"
          />
          <button
            type="button"
            className="btn-icon"
            onClick={() => onChange(parties.filter((_, i) => i !== index))}
            aria-label={t('caseForm.removeParty')}
            title={t('caseForm.removeParty')}
            data-testid="party-remove"
          >
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
      <div>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onChange([...parties, { kind: 'business', name: '', detail: '' }])}
          data-testid="party-add"
        >
          {t('caseForm.addParty')}
        </button>
      </div>
    </fieldset>
  );
}
