import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { StateMark } from './marks';

const RECENT_LIMIT = 20;

export function RecentImports({ onOpen }: { onOpen(importId: string): void }) {
  const { t } = useI18n();
  const client = useClient();
  const recent = useLoad(() => client.call('import.list', { limit: RECENT_LIMIT }), 'recent');
  return (
    <div className="recent-imports" data-testid="recent-imports">
      <h3>{t('recent.title')}</h3>
      <ErrorBanner error={recent.error} />
      {recent.data && recent.data.length === 0 ? <p className="muted small">{t('recent.none')}</p> : null}
      <ul>
        {(recent.data ?? []).map((record) => {
          const files = Object.values(record.counts).reduce((sum, n) => sum + (n ?? 0), 0);
          return (
            <li key={record.id}>
              <button
                type="button"
                className="recent-entry"
                onClick={() => onOpen(record.id)}
                title={t('recent.open')}
                data-testid="recent-import"
              >
                <span className={record.safeToWipe ? 'dot dot-ok' : 'dot dot-warn'} aria-hidden="true" />
                <span className="recent-main">
                  <span className="mono small">{formatInstant(record.startedAt)}</span>
                  <span className="muted small ellipsis dot-list">
                    <span>{record.account}</span>
                    <span>{t('recent.files', { count: files })}</span>
                  </span>
                </span>
                <StateMark state={record.state} />
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
