import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { ProblemBanner } from '../common/ErrorBanner';
import { Field } from '../detail/Fields';
import { checkDraft, draftOf } from './caseDraft';
import { CaseFields } from './CaseFields';

/** The case's fields, parties and notes; a draft case can be edited in place (`cases.update`). */
export function CaseDetailsPanel({ detail, onSaved }: { detail: CaseDetail; onSaved(detail: CaseDetail): void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const isDraft = detail.state === 'draft';

  return (
    <section className="case-side-section" data-testid="case-details">
      <div className="case-side-head">
        <h3>{t('case.details')}</h3>
        <span className="spacer" />
        {!editing ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
            disabled={!isDraft}
            title={isDraft ? undefined : t('case.editNotDraft')}
            data-testid="case-edit"
          >
            {t('case.edit')}
          </button>
        ) : null}
      </div>
      {saved ? (
        <div className="banner banner-ok" role="status" data-testid="case-saved">
          {t('case.saved')}
        </div>
      ) : null}
      {editing ? (
        <CaseEditForm
          detail={detail}
          onCancel={() => setEditing(false)}
          onSaved={(next) => {
            setEditing(false);
            setSaved(true);
            onSaved(next);
          }}
        />
      ) : (
        <CaseFieldsView detail={detail} />
      )}
    </section>
  );
}

function CaseFieldsView({ detail }: { detail: CaseDetail }) {
  const { t } = useI18n();
  return (
    <>
      <dl className="fields">
        <Field label={t('caseForm.title')} testId="case-title-field">
          {detail.title}
        </Field>
        <Field label={t('caseForm.place')} testId="case-place">
          {detail.place}
        </Field>
        <Field label={t('caseForm.occurredAt')} testId="case-occurred">
          {detail.occurredAt ? <span className="mono">{formatInstant(detail.occurredAt)}</span> : null}
        </Field>
        <Field label={t('case.createdBy')}>{detail.createdBy}</Field>
        <Field label={t('case.createdAt')}>
          <span className="mono">{formatInstant(detail.createdAt)}</span>
        </Field>
        <Field label={t('case.updatedAt')}>
          <span className="mono">{formatInstant(detail.updatedAt)}</span>
        </Field>
      </dl>
      <h4>{t('caseForm.parties')}</h4>
      {detail.parties.length === 0 ? (
        <p className="muted small">{t('caseForm.partiesNone')}</p>
      ) : (
        <ul className="party-list" data-testid="case-parties">
          {detail.parties.map((party, index) => (
            <li key={index} data-testid="case-party" data-kind={party.kind}>
              <span className="mark mark-info">{t(`party.${party.kind}`)}</span>
              <span className={party.kind === 'vehicle' ? 'mono party-name plate' : 'party-name'}>{party.name}</span>
              {party.detail ? <span className="muted small party-detail">{party.detail}</span> : null}
            </li>
          ))}
        </ul>
      )}
      <h4>{t('case.notes')}</h4>
      {detail.notes ? (
        <p className="case-notes" data-testid="case-notes">
          {detail.notes}
        </p>
      ) : (
        <p className="muted small">{t('case.notesNone')}</p>
      )}
    </>
  );
}

function CaseEditForm({
  detail,
  onCancel,
  onSaved,
}: {
  detail: CaseDetail;
  onCancel(): void;
  onSaved(detail: CaseDetail): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [draft, setDraft] = useState(() => draftOf(detail));
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDraft(draft);
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    const next = await action.run(() => client.call('cases.update', { id: detail.id, ...checked.values }));
    if (next) onSaved(next);
  };

  return (
    <form className="form case-edit-form" onSubmit={(e) => void submit(e)} data-testid="case-edit-form">
      <CaseFields draft={draft} onChange={setDraft} />
      {problem ? <ProblemBanner>{t(problem)}</ProblemBanner> : null}
      <ConfirmActions action={action} onCancel={onCancel} label={t('caseForm.save')} testId="case-edit-save" />
    </form>
  );
}
