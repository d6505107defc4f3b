import type { CaseDetail } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ReasonDialog } from '../common/ReasonDialog';

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
  const next = version + 1;

  return (
    <ReasonDialog
      title={t('reopen.title', { number: detail.number })}
      testId="reopen-dialog"
      reasonLabel={t('reopen.reason')}
      reasonPlaceholder={t('reopen.reasonPlaceholder')}
      reasonTestId="reopen-reason"
      submitLabel={t('reopen.submit', { next })}
      submitTestId="reopen-submit"
      confirm={(reason) => client.call('cases.reopen', { caseId: detail.id, reason })}
      onDone={onReopened}
      onClose={onClose}
    >
      <p>{t('reopen.body', { version, next })}</p>
      <p className="muted small">{t('reopen.who')}</p>
    </ReasonDialog>
  );
}
