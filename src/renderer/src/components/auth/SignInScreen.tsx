import { useState, type FormEvent } from 'react';
import type { StationClient } from '../../../../shared/contract';
import type { Session } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { AuthFrame } from './AuthFrame';

export function SignInScreen({
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
  const [password, setPassword] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const session = await action.run(() => client.call('auth.signIn', { name: name.trim(), password }));
    if (session) onSignedIn(session);
    else setPassword('');
  };

  return (
    <AuthFrame stationName={stationName} title={t('signIn.title')} intro={t('signIn.intro')} testId="sign-in-screen">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('signIn.name')}</span>
          <input
            name="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            autoFocus
            autoComplete="username"
            data-testid="sign-in-name"
          />
        </label>
        <label className="field">
          <span>{t('signIn.password')}</span>
          <input
            type="password"
            name="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoComplete="current-password"
            data-testid="sign-in-password"
          />
        </label>
        <ErrorBanner error={action.error} />
        <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="sign-in-submit">
          {t('signIn.submit')}
        </button>
      </form>
    </AuthFrame>
  );
}
