import type { BatchResult } from '../../../../shared/batchSchemas';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { Dialog } from '../common/Dialog';
import { Icon } from '../common/Icon';

/** One line per item a batch asked about: what happened to it, and for times the old and new. */
export function BatchOutcomes({ result }: { result: BatchResult }) {
  const { t } = useI18n();
  return (
    <>
      <div className={result.done > 0 ? 'banner banner-ok' : 'banner'} role="status" data-testid="batch-done">
        <Icon name={result.done > 0 ? 'check' : 'warning'} />
        <span>{t('batch.done', { done: result.done, count: result.results.length })}</span>
      </div>
      <ul className="batch-outcomes" data-testid="batch-outcomes">
        {result.results.map((r) => (
          <li key={r.itemId} data-testid="batch-outcome" data-item-id={r.itemId} data-outcome={r.outcome}>
            <span className="ellipsis">{r.name ?? r.itemId}</span>
            <span className={r.outcome === 'done' ? 'batch-outcome-done' : 'muted'}>
              {t(`batch.outcome.${r.outcome}`)}
            </span>
            {r.outcome === 'done' && r.recordedAt ? (
              <span className="mono small">
                {r.previous ? formatInstant(r.previous) : t('common.none')} → {formatInstant(r.recordedAt)}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </>
  );
}

/** A batch dialog once its call has answered: the outcomes, and a button to close. */
export function BatchOutcomesDialog(props: {
  title: string;
  testId: string;
  result: BatchResult;
  wide?: boolean;
  onClose(): void;
}) {
  const { t } = useI18n();
  return (
    <Dialog title={props.title} onClose={props.onClose} testId={props.testId} wide={props.wide}>
      <BatchOutcomes result={props.result} />
      <div className="form-actions">
        <button type="button" className="btn btn-primary" onClick={props.onClose} data-testid="batch-close">
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
