import { useState, type FormEvent } from 'react';
import type { BatchResult } from '../../../../shared/batchSchemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField, TextField } from '../common/FormField';
import { Select } from '../common/Select';
import { BatchOutcomesDialog } from './BatchOutcomes';

/** A whole-item tag of one violation type on every selected item (batch.tag), then each item's outcome. */
export function BatchTagDialog({ itemIds, onClose }: { itemIds: readonly string[]; onClose(): void }) {
  const { t, locale } = useI18n();
  const client = useClient();
  const action = useAction();
  const taxonomy = useLoad(() => client.call('taxonomy.get', {}), 'taxonomy');
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<BatchResult | null>(null);
  const types = (taxonomy.data?.types ?? []).filter((type) => !type.retired);
  const nameOf = (c: string) => {
    const type = types.find((x) => x.code === c);
    return type ? (locale === 'zh-CN' ? type.nameZh : type.nameEn) : c;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const out = await action.run(() => client.call('batch.tag', { itemIds: [...itemIds], code, note: note.trim() }));
    if (out) setResult(out);
  };

  const title = t('batchTag.title', { count: itemIds.length });
  if (result) {
    return <BatchOutcomesDialog title={title} testId="batch-tag-dialog" result={result} onClose={onClose} />;
  }
  return (
    <Dialog title={title} onClose={onClose} testId="batch-tag-dialog" closable={!action.busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <ErrorBanner error={taxonomy.error} />
        <FormField label={t('batchTag.type')} hint={t('batchTag.wholeItem')}>
          <Select
            value={code}
            options={types.map((type) => type.code)}
            labelOf={nameOf}
            anyLabel={t('batchTag.pick')}
            onValueChange={setCode}
            testId="batch-tag-type"
          />
        </FormField>
        <TextField
          label={t('batchTag.note')}
          value={note}
          onValueChange={setNote}
          maxLength={2000}
          testId="batch-tag-note"
        />
        <ConfirmActions
          action={action}
          onCancel={onClose}
          label={t('batchTag.submit')}
          testId="batch-tag-submit"
          ready={code !== ''}
        />
      </form>
    </Dialog>
  );
}
