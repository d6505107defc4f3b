import { useLoad } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant, shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';

const RECORD_LIMIT = 200;
/** Case actions in words; any other action is shown by its logged name. */
const ACTION_LABELS: Record<string, MessageKey> = {
  'case.create': 'caseRecord.create',
  'case.update': 'caseRecord.update',
  'case.addItem': 'caseRecord.addItem',
  'case.removeItem': 'caseRecord.removeItem',
};

/**
 * The case's own custody entries (create, update, each item added or removed with its reason),
 * newest last as the chain holds them. `refreshKey` changes whenever the case does.
 */
export function CaseRecord({
  caseId,
  refreshKey,
  itemNames,
}: {
  caseId: string;
  refreshKey: string;
  /** Names of the items in the case now; entries of removed items fall back to the hash. */
  itemNames: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const client = useClient();
  const record = useLoad(
    () => client.call('custody.list', { subject: caseId, offset: 0, limit: RECORD_LIMIT }),
    `${caseId}:${refreshKey}`,
  );
  return (
    <section className="case-side-section" data-testid="case-record">
      <h3>{t('caseRecord.title')}</h3>
      <ErrorBanner error={record.error} />
      {!record.data ? (
        record.error ? null : (
          <p className="muted small">{t('common.loading')}</p>
        )
      ) : record.data.entries.length === 0 ? (
        <p className="muted small">{t('caseRecord.none')}</p>
      ) : (
        <ol className="custody-list">
          {record.data.entries.map((entry) => {
            const reason = typeof entry.details.reason === 'string' ? entry.details.reason : null;
            const itemId = typeof entry.details.itemId === 'string' ? entry.details.itemId : null;
            const label = ACTION_LABELS[entry.action];
            const itemName = itemId ? itemNames.get(itemId) : undefined;
            return (
              <li key={entry.seq} data-testid="case-record-entry" data-action={entry.action}>
                <div className="custody-head">
                  <span className="mono custody-seq">#{entry.seq}</span>
                  <span className={label ? 'custody-action' : 'custody-action mono'} title={entry.action}>
                    {label ? t(label) : entry.action}
                  </span>
                  <span className="spacer" />
                  <span className="mono muted">{formatInstant(entry.at)}</span>
                </div>
                <div className="custody-meta muted">
                  <span>{entry.actor}</span>
                  {itemName ? <span className="ellipsis case-record-item">{itemName}</span> : null}
                  <span className="spacer" />
                  {entry.sha256 ? (
                    <span className="mono" title={entry.sha256}>
                      {shortHash(entry.sha256)}
                    </span>
                  ) : null}
                </div>
                {reason ? (
                  <div className="small case-record-reason" data-testid="case-record-reason">
                    {t('caseRecord.reason', { reason })}
                  </div>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {record.data && record.data.total > record.data.entries.length ? (
        <p className="muted small">
          {t('detail.custodyMore', { shown: record.data.entries.length, total: record.data.total })}
        </p>
      ) : null}
    </section>
  );
}
