import type { CaseDetail, CaseItem } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ReasonDialog } from '../common/ReasonDialog';

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

  return (
    <ReasonDialog
      title={t('remove.title')}
      testId="remove-item-dialog"
      reasonLabel={t('remove.reason')}
      reasonPlaceholder={t('remove.reasonPlaceholder')}
      reasonTestId="remove-reason"
      submitLabel={t('remove.submit')}
      submitTestId="remove-submit"
      danger
      confirm={(reason) => client.call('cases.removeItem', { caseId, itemId: entry.item.id, reason })}
      onDone={onRemoved}
      onClose={onClose}
    >
      <div className="remove-subject">
        <strong className="break">{entry.item.originalName}</strong>
        <span className="mono muted">{shortHash(entry.item.sha256)}</span>
      </div>
      <p className="muted small remove-note">{t('remove.body')}</p>
    </ReasonDialog>
  );
}
