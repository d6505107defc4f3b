import { useState, type FormEvent } from 'react';
import type { CaseDetail, CaseItem } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField } from '../common/FormField';

/** Takes an item out of a draft case (`cases.removeItem`); the reason is required and logged. */
export function RemoveItemDialog({
  caseId,
  entry,
  onClose,
  onRemoved,
}: {
  caseId: string;
  entry: CaseItem;
  onClose(): void;
  onRemoved(detail: CaseDetail): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [reason, setReason] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const detail = await action.run(() =>
      client.call('cases.removeItem', { caseId, itemId: entry.item.id, reason: reason.trim() }),
    );
    if (detail) onRemoved(detail);
  };

  return (
    <Dialog title={t('remove.title')} onClose={onClose} testId="remove-item-dialog" closable={!action.busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="remove-subject">
          <strong className="break">{entry.item.originalName}</strong>
          <span className="mono muted">{shortHash(entry.item.sha256)}</span>
        </div>
        <p className="muted small remove-note">{t('remove.body')}</p>
        <FormField label={t('remove.reason')}>
          <textarea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={t('remove.reasonPlaceholder')}
            maxLength={1000}
            required
            autoFocus
            data-testid="remove-reason"
          />
        </FormField>
        <ErrorBanner error={action.error} />
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose} disabled={action.busy}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-danger"
            disabled={action.busy || reason.trim() === ''}
            data-testid="remove-submit"
          >
            {t('remove.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
