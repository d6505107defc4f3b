import type { ImportFileResult, ImportRecord } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';

const OUTCOME_CLASS: Record<ImportFileResult['status'], string> = {
  imported: 'mark-ok',
  duplicate: 'mark-info',
  undecodable: 'mark-danger',
  skipped: 'mark-warn',
  failed: 'mark-danger',
};

export function OutcomeMark({ status }: { status: ImportFileResult['status'] }) {
  const { t } = useI18n();
  return (
    <span className={`mark ${OUTCOME_CLASS[status]}`} data-testid="outcome" data-outcome={status}>
      {t(`outcome.${status}`)}
    </span>
  );
}

export function StateMark({ state }: { state: ImportRecord['state'] }) {
  const { t } = useI18n();
  const cls = state === 'completed' ? 'mark-ok' : state === 'running' ? 'mark-info' : 'mark-warn';
  return <span className={`mark ${cls}`}>{t(`state.${state}`)}</span>;
}
