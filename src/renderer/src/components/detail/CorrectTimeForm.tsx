import { useState, type FormEvent } from 'react';
import type { ItemDetail } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { localOffset, splitInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner, ProblemBanner } from '../common/ErrorBanner';
import { DateTimeField } from '../common/DateTimeField';
import { FormField, TextField } from '../common/FormField';

const OFFSET_RE = /^[+-](0\d|1[0-4]):[0-5]\d$/;

/** Starts from the current recorded time in its own offset, so the officer edits what the camera showed. */
function initialValues(item: ItemDetail): { local: string; offset: string } {
  const parts = item.recordedAt ? splitInstant(item.recordedAt) : null;
  if (!parts) return { local: '', offset: localOffset() };
  return { local: parts.wall.replace(' ', 'T'), offset: parts.offset === 'Z' ? '+00:00' : parts.offset };
}

export function CorrectTimeForm({
  item,
  onSaved,
  onCancel,
}: {
  item: ItemDetail;
  onSaved(item: ItemDetail): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [values, setValues] = useState(() => initialValues(item));
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = values.local.length === 16 ? `${values.local}:00` : values.local;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(local) || !OFFSET_RE.test(values.offset)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    const updated = await action.run(() =>
      client.call('items.correctTime', { id: item.id, recordedAt: `${local}${values.offset}`, reason: reason.trim() }),
    );
    if (updated) onSaved(updated);
  };

  return (
    <form className="form correct-form" onSubmit={(e) => void submit(e)} data-testid="correct-time-form">
      <p className="note">{t('correct.note')}</p>
      <div className="form-row">
        <DateTimeField
          label={t('correct.time')}
          fieldClassName="grow"
          withTime
          seconds
          value={values.local}
          onValueChange={(local) => setValues({ ...values, local })}
          required
          testId="correct-time-value"
        />
        <TextField
          label={t('correct.offset')}
          fieldClassName="offset-field"
          value={values.offset}
          onValueChange={(offset) => setValues({ ...values, offset })}
          required
          placeholder="+08:00"
          testId="correct-time-offset"
        />
      </div>
      <FormField label={t('correct.reason')}>
        <textarea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          rows={2}
          maxLength={1000}
          placeholder={t('correct.reasonPlaceholder')}
          data-testid="correct-time-reason"
        />
      </FormField>
      {invalid ? <ProblemBanner>{t('correct.invalid')}</ProblemBanner> : null}
      <ErrorBanner error={action.error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || !reason.trim()}
          data-testid="correct-time-submit"
        >
          {t('correct.submit')}
        </button>
      </div>
    </form>
  );
}
