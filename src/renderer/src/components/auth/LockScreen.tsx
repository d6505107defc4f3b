import { useState } from 'react';
import type { StationClient } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/errors';
import type { Session } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { TextField } from '../common/FormField';
import { AuthForm } from './AuthForm';
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

  const submit = async () => {
    const next = await action.run(() => client.call('auth.unlock', { sessionId: session.sessionId, password }));
    setPassword('');
    if (next) onUnlocked(next);
  };

  const name = session.account.displayName || session.account.name;
  // The engine's answer speaks of "account name or password"; this screen has no name to get wrong.
  const wrongPassword = (error: AppError) => error.code === 'auth.invalid';
  return (
    <div className="lock-overlay">
      <AuthFrame
        stationName={stationName}
        title={t('lock.title')}
        intro={t('lock.intro', { name })}
        testId="lock-screen"
      >
        <AuthForm
          action={action}
          onSubmit={submit}
          submitLabel={t('lock.submit')}
          submitTestId="unlock-submit"
          shownOnField={wrongPassword}
          footer={
            <button type="button" className="btn btn-link" onClick={onSwitchUser}>
              {t('lock.switchUser')}
            </button>
          }
        >
          <TextField
            label={t('lock.password')}
            error={action.error && wrongPassword(action.error) ? t('lock.wrongPassword', { name }) : null}
            type="password"
            name="password"
            value={password}
            onValueChange={setPassword}
            required
            autoFocus
            autoComplete="current-password"
            testId="unlock-password"
          />
        </AuthForm>
      </AuthFrame>
    </div>
  );
}
