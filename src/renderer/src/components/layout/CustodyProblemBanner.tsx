import { useState } from 'react';
import type { CustodyProblem } from '../../../../shared/custodySchemas';
import { useLoad } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { describeError } from '../../i18n/errors';
import { useStation } from '../../station/StationContext';
import { Icon } from '../common/Icon';

const TEXT: Record<CustodyProblem['kind'], MessageKey> = {
  entriesRemoved: 'custodyProblem.entriesRemoved',
  entriesReplaced: 'custodyProblem.entriesReplaced',
  headMissing: 'custodyProblem.headMissing',
  headUnreadable: 'custodyProblem.headUnreadable',
  headBehind: 'custodyProblem.headBehind',
};

/**
 * Open problems of the custody chain (entries removed, head missing…), shown to everyone signed in
 * until an admin acknowledges them; the acknowledgement is itself a custody entry.
 */
export function CustodyProblemBanner() {
  const { t } = useI18n();
  const { client, session } = useStation();
  const problems = useLoad(() => client.call('custody.problems', { open: true }), 'custody-problems');
  const [error, setError] = useState<string | null>(null);
  const isAdmin = session.account.role === 'admin';
  const open = problems.data ?? [];
  if (open.length === 0) return null;

  const acknowledge = async (id: number) => {
    setError(null);
    try {
      await client.call('custody.acknowledge', { id });
    } catch (caught) {
      setError(describeError(caught, t));
    }
    problems.reload();
  };

  return (
    <section className="custody-problems" aria-label={t('custodyProblem.label')} data-testid="custody-problems">
      {open.map((p) => (
        <div key={p.id} className="banner banner-error" role="alert" data-testid="custody-problem">
          <Icon name="warning" />
          <span>
            {t(TEXT[p.kind], { first: p.firstSeq ?? '', last: p.lastSeq ?? '', at: p.detectedAt })}{' '}
            {isAdmin ? null : t('custodyProblem.tellAdmin')}
          </span>
          {isAdmin ? (
            <button
              type="button"
              className="btn"
              title={t('custodyProblem.acknowledgeHint')}
              onClick={() => void acknowledge(p.id)}
              data-testid="custody-problem-acknowledge"
            >
              {t('custodyProblem.acknowledge')}
            </button>
          ) : null}
        </div>
      ))}
      {error ? <p className="custody-problems-error">{error}</p> : null}
    </section>
  );
}
