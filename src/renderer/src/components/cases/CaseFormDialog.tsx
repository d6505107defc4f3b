import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n, type MessageKey } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ConfirmActions } from '../common/ConfirmActions';
import { ProblemBanner } from '../common/ErrorBanner';
import { checkDraft, draftOf } from './caseDraft';
import { CaseFields } from './CaseFields';

/** Opens a new case (`cases.create`); the station gives it its number. */
export function CaseFormDialog({ onClose, onCreated }: { onClose(): void; onCreated(detail: CaseDetail): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [draft, setDraft] = useState(() => draftOf());
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDraft(draft);
    if ('problem' in checked) return setProblem(checked.problem);
    setProblem(null);
    const created = await action.run(() => client.call('cases.create', checked.values));
    if (created) onCreated(created);
  };

  return (
    <Dialog title={t('caseForm.createTitle')} onClose={onClose} testId="case-form-dialog" closable={!action.busy}>
      <form className="form case-form" onSubmit={(e) => void submit(e)}>
        <CaseFields draft={draft} onChange={setDraft} />
        <p className="muted small case-form-note">{t('caseForm.numberNote')}</p>
        {problem ? <ProblemBanner testId="case-form-problem">{t(problem)}</ProblemBanner> : null}
        <ConfirmActions action={action} onCancel={onClose} label={t('caseForm.create')} testId="case-form-submit" />
      </form>
    </Dialog>
  );
}
