import { useState } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { accountNameProblem } from '../accounts/accountNameProblem';
import { ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { AuthForm, type SessionScreenProps } from './AuthForm';
import { AuthFrame } from './AuthFrame';

export function SetupScreen({ client, stationName, onSignedIn }: SessionScreenProps) {
  const { locale, t } = useI18n();
  const action = useAction();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<'tooShort' | 'mismatch' | null>(null);

  const nameProblem = accountNameProblem(t, name);

  const submit = async () => {
    if (nameProblem) return;
    if (password.length < MIN_PASSWORD_LENGTH) return setProblem('tooShort');
    if (password !== confirm) return setProblem('mismatch');
    setProblem(null);
    const session = await action.run(() =>
      client.call('auth.setupAdmin', {
        name: name.trim(),
        displayName: displayName.trim() || undefined,
        password,
        // The language shown now, chosen on this screen, stays after setup.
        locale,
      }),
    );
    if (session) onSignedIn(session);
  };

  return (
    <AuthFrame stationName={stationName} title={t('setup.title')} intro={t('setup.intro')} testId="setup-screen">
      <AuthForm action={action} onSubmit={submit} submitLabel={t('setup.submit')} submitTestId="setup-submit">
        <TextField
          label={t('setup.name')}
          hint={t('setup.nameHint')}
          error={nameProblem}
          name="name"
          value={name}
          onValueChange={setName}
          required
          autoFocus
          autoComplete="username"
          maxLength={64}
          testId="setup-name"
        />
        <TextField
          label={t('setup.displayName')}
          name="displayName"
          value={displayName}
          onValueChange={setDisplayName}
          maxLength={128}
          testId="setup-display-name"
        />
        <TextField
          label={t('setup.password')}
          hint={t('setup.passwordHint')}
          type="password"
          name="password"
          value={password}
          onValueChange={setPassword}
          required
          autoComplete="new-password"
          testId="setup-password"
        />
        <TextField
          label={t('setup.confirm')}
          type="password"
          name="confirm"
          value={confirm}
          onValueChange={setConfirm}
          required
          autoComplete="new-password"
          testId="setup-confirm"
        />
        {problem ? (
          <ProblemBanner testId="setup-problem">
            {t(problem === 'tooShort' ? 'setup.tooShort' : 'setup.mismatch')}
          </ProblemBanner>
        ) : null}
      </AuthForm>
    </AuthFrame>
  );
}
