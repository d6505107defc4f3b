import { useLoad } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { custodyActionLabel } from '../../lib/custodyActionLabel';
import { formatInstant, shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';

const RECORD_LIMIT = 200;
/** Case actions in the case's own words; any other action by its custody label. */
const ACTION_LABELS: Record<string, MessageKey> = {
  'case.create': 'caseRecord.create',
  'case.update': 'caseRecord.update',
  'case.addItem': 'caseRecord.addItem',
  'case.removeItem': 'caseRecord.removeItem',
  'case.seal': 'caseRecord.seal',
  'case.reopen': 'caseRecord.reopen',
  'case.approve': 'caseRecord.approve',
  'case.reject': 'caseRecord.reject',
  'case.queue': 'caseRecord.queue',
  'case.sync': 'caseRecord.sync',
  'case.syncRefused': 'caseRecord.syncRefused',
  'case.export': 'caseRecord.export',
  'case.export.failed': 'caseRecord.exportFailed',
  'case.export.started': 'caseRecord.exportStarted',
  'case.export.interrupted': 'caseRecord.exportInterrupted',
  'seal.hashMismatch': 'caseRecord.hashMismatch',
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
  /** Names of the items in the case now; those of removed items are looked up. */
  itemNames: ReadonlyMap<string, string>;
}) {
  const { t } = useI18n();
  const client = useClient();
  const record = useLoad(async () => {
    const page = await client.call('custody.list', { subject: caseId, offset: 0, limit: RECORD_LIMIT });
    // Items no longer in the case are named too, so a removal reads as what was removed.
    const missing = new Set<string>();
    for (const entry of page.entries) {
      const id = entry.details.itemId;
      if (typeof id === 'string' && !itemNames.has(id)) missing.add(id);
    }
    const found = await Promise.all(
      [...missing].map((id) =>
        client.call('items.get', { id }).then(
          (item) => [id, item.originalName] as const,
          () => null,
        ),
      ),
    );
    const names = new Map(itemNames);
    for (const pair of found) if (pair) names.set(pair[0], pair[1]);
    return { ...page, names };
  }, `${caseId}:${refreshKey}`);
  const data = record.data;
  return (
    <section className="case-side-section" data-testid="case-record">
      <h3>{t('caseRecord.title')}</h3>
      <ErrorBanner error={record.error} />
      {!data ? (
        record.error ? null : (
          <p className="muted small">{t('common.loading')}</p>
        )
      ) : data.entries.length === 0 ? (
        <p className="muted small">{t('caseRecord.none')}</p>
      ) : (
        <ol className="custody-list">
          {data.entries.map((entry) => {
            const reason = typeof entry.details.reason === 'string' ? entry.details.reason : null;
            const itemId = typeof entry.details.itemId === 'string' ? entry.details.itemId : null;
            const label = ACTION_LABELS[entry.action];
            const itemName = itemId ? data.names.get(itemId) : undefined;
            return (
              <li key={entry.seq} data-testid="case-record-entry" data-action={entry.action}>
                <div className="custody-head">
                  <span className="mono custody-seq">#{entry.seq}</span>
                  <span className="custody-action" title={entry.action}>
                    {label ? t(label) : custodyActionLabel(t, entry.action)}
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
      {data && data.total > data.entries.length ? (
        <p className="muted small">{t('detail.custodyMore', { shown: data.entries.length, total: data.total })}</p>
      ) : null}
    </section>
  );
}
