import { useI18n } from '../../i18n';
import { custodyActionLabel } from '../../lib/custodyActionLabel';
import { useLoad } from '../../hooks/useLoad';
import { formatInstant, shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';

const CUSTODY_LIMIT = 200;

/** The item's entries in the hash-chained custody log, oldest first, as the engine returns them. */
export function CustodyList({ itemId, refreshKey }: { itemId: string; refreshKey: string }) {
  const { t } = useI18n();
  const client = useClient();
  const custody = useLoad(
    // `related`: the clips and stills cut from the item and its case additions belong on its record too.
    () => client.call('custody.list', { subject: itemId, related: true, offset: 0, limit: CUSTODY_LIMIT }),
    `${itemId}:${refreshKey}`,
  );
  if (custody.error) return <ErrorBanner error={custody.error} />;
  if (!custody.data) return <p className="muted">{t('common.loading')}</p>;
  const { entries, total } = custody.data;
  if (entries.length === 0) return <p className="muted">{t('detail.custodyNone')}</p>;
  return (
    <>
      <ol className="custody-list" data-testid="custody-list">
        {entries.map((entry) => (
          <li key={entry.seq} data-testid="custody-entry">
            <div className="custody-head">
              <span className="mono custody-seq">#{entry.seq}</span>
              <span className="custody-action" title={entry.action} data-action={entry.action}>
                {custodyActionLabel(t, entry.action)}
              </span>
              <span className="spacer" />
              <span className="mono muted">{formatInstant(entry.at)}</span>
            </div>
            <div className="custody-meta muted">
              <span>{entry.actor}</span>
              <span className="sep">·</span>
              <span>{entry.station}</span>
              <span className="spacer" />
              <span className="mono" title={entry.hash}>
                {shortHash(entry.hash)}
              </span>
            </div>
          </li>
        ))}
      </ol>
      {total > entries.length ? (
        <p className="muted">{t('detail.custodyMore', { shown: entries.length, total })}</p>
      ) : null}
    </>
  );
}
