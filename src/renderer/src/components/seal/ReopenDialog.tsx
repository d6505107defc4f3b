import { useState, type FormEvent } from 'react';
import type { CaseDetail } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField } from '../common/FormField';

/** Reopens a sealed case (`cases.reopen`): the reason is required; the sealed version stays exportable. */
export function ReopenDialog({
  detail,
  version,
  onClose,
  onReopened,
}: {
  detail: CaseDetail;
  /** The sealed version being reopened from. */
  version: number;
  onClose(): void;
  onReopened(detail: CaseDetail): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [reason, setReason] = useState('');
  const next = version + 1;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const reopened = await action.run(() => client.call('cases.reopen', { caseId: detail.id, reason: reason.trim() }));
    if (reopened) onReopened(reopened);
  };

  return (
    <Dialog
      title={t('reopen.title', { number: detail.number })}
      onClose={onClose}
      closable={!action.busy}
      testId="reopen-dialog"
    >
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p>{t('reopen.body', { version, next })}</p>
        <p className="muted small">{t('reopen.who')}</p>
        <FormField label={t('reopen.reason')}>
          <textarea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('reopen.reasonPlaceholder')}
            maxLength={1000}
            required
            autoFocus
            data-testid="reopen-reason"
          />
        </FormField>
        <ErrorBanner error={action.error} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} disabled={action.busy}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            disabled={action.busy || reason.trim() === ''}
            data-testid="reopen-submit"
          >
            {t('reopen.submit', { next })}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
