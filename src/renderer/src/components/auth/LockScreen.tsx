import { useState, type FormEvent } from 'react';
import type { StationClient } from '../../../../shared/contract';
import type { Session } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { AuthFrame } from './AuthFrame';

/** Covers the whole window (the work underneath stays mounted) until the same account unlocks. */
export function LockScreen({
  client,
  stationName,
  session,
  onUnlocked,
  onSwitchUser,
}: {
  client: StationClient;
  stationName: string;
  session: Session;
  onUnlocked(session: Session): void;
  onSwitchUser(): void;
}) {
  const { t } = useI18n();
  const action = useAction();
  const [password, setPassword] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const next = await action.run(() => client.call('auth.unlock', { sessionId: session.sessionId, password }));
    setPassword('');
    if (next) onUnlocked(next);
  };

  const name = session.account.displayName || session.account.name;
  return (
    <div className="lock-overlay">
      <AuthFrame
        stationName={stationName}
        title={t('lock.title')}
        intro={t('lock.intro', { name })}
        testId="lock-screen"
      >
        <form className="form" onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span>{t('lock.password')}</span>
            <input
              type="password"
              name="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              autoFocus
              autoComplete="current-password"
              data-testid="unlock-password"
            />
          </label>
          <ErrorBanner error={action.error} />
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="unlock-submit">
            {t('lock.submit')}
          </button>
          <button type="button" className="btn btn-link" onClick={onSwitchUser}>
            {t('lock.switchUser')}
          </button>
        </form>
      </AuthFrame>
    </div>
  );
}
