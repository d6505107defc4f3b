import { useState, type FormEvent } from 'react';
import type { StationClient } from '../../../../shared/contract';
import type { Session } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { AuthFrame } from './AuthFrame';

const MIN_PASSWORD = 8;

export function SetupScreen({
  client,
  stationName,
  onSignedIn,
}: {
  client: StationClient;
  stationName: string;
  onSignedIn(session: Session): void;
}) {
  const { t } = useI18n();
  const action = useAction();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<'tooShort' | 'mismatch' | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) return setProblem('tooShort');
    if (password !== confirm) return setProblem('mismatch');
    setProblem(null);
    const session = await action.run(() =>
      client.call('auth.setupAdmin', { name: name.trim(), displayName: displayName.trim() || undefined, password }),
    );
    if (session) onSignedIn(session);
  };

  return (
    <AuthFrame stationName={stationName} title={t('setup.title')} intro={t('setup.intro')} testId="setup-screen">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('setup.name')}</span>
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
            autoComplete="username"
            maxLength={64}
            data-testid="setup-name"
          />
          <small className="muted">{t('setup.nameHint')}</small>
        </label>
        <label className="field">
          <span>{t('setup.displayName')}</span>
          <input
            name="displayName"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            maxLength={128}
            data-testid="setup-display-name"
          />
        </label>
        <label className="field">
          <span>{t('setup.password')}</span>
          <input
            type="password"
            name="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="new-password"
            data-testid="setup-password"
          />
          <small className="muted">{t('setup.passwordHint')}</small>
        </label>
        <label className="field">
          <span>{t('setup.confirm')}</span>
          <input
            type="password"
            name="confirm"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            required
            autoComplete="new-password"
            data-testid="setup-confirm"
          />
        </label>
        {problem ? (
          <div className="banner banner-error" role="alert" data-testid="setup-problem">
            {t(problem === 'tooShort' ? 'setup.tooShort' : 'setup.mismatch')}
          </div>
        ) : null}
        <ErrorBanner error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="setup-submit">
          {t('setup.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
