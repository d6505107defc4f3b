import { useState } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { toAppError } from '../../i18n/errors';
import { ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { AuthForm, type SessionScreenProps } from './AuthForm';
import { AuthFrame } from './AuthFrame';

/**
 * Sign-in. When an admin has reset the password, the station refuses the temporary one alone
 * (`auth.passwordChangeRequired`): the screen then asks for a new password and signs in with both.
 */
export function SignInScreen({ client, stationName, onSignedIn }: SessionScreenProps) {
  const { t } = useI18n();
  const action = useAction();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [mustChange, setMustChange] = useState(false);
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  const submit = async () => {
    if (mustChange && newPassword !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    let changeNeeded = false;
    const session = await action.run(async () => {
      try {
        return await client.call('auth.signIn', {
          name: name.trim(),
          password,
          ...(mustChange ? { newPassword } : {}),
        });
      } catch (error) {
        if (toAppError(error).code !== 'auth.passwordChangeRequired') throw error;
        changeNeeded = true;
        setMustChange(true);
        return undefined;
      }
    });
    if (session) onSignedIn(session);
    // A wrong password is cleared; the temporary one is kept for the step that replaces it.
    else if (!mustChange && !changeNeeded) setPassword('');
  };

  const restart = () => {
    setMustChange(false);
    setPassword('');
    setNewPassword('');
    setConfirm('');
    action.clearError();
  };

  if (mustChange) {
    return (
      <AuthFrame
        stationName={stationName}
        title={t('signIn.changeTitle')}
        intro={t('signIn.changeIntro', { name: name.trim() })}
        testId="password-change-screen"
      >
        <AuthForm
          action={action}
          onSubmit={submit}
          submitLabel={t('signIn.changeSubmit')}
          submitTestId="password-change-submit"
          footer={
            <button type="button" className="btn btn-ghost" onClick={restart}>
              {t('signIn.back')}
            </button>
          }
        >
          <TextField
            label={t('signIn.newPassword')}
            hint={t('setup.passwordHint')}
            type="password"
            name="new-password"
            value={newPassword}
            onValueChange={setNewPassword}
            required
            autoFocus
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            testId="new-password"
          />
          <TextField
            label={t('signIn.confirmPassword')}
            type="password"
            name="confirm-password"
            value={confirm}
            onValueChange={setConfirm}
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            testId="confirm-password"
          />
          {mismatch ? <ProblemBanner>{t('signIn.mismatch')}</ProblemBanner> : null}
        </AuthForm>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame stationName={stationName} title={t('signIn.title')} intro={t('signIn.intro')} testId="sign-in-screen">
      <AuthForm action={action} onSubmit={submit} submitLabel={t('signIn.submit')} submitTestId="sign-in-submit">
        <TextField
          label={t('signIn.name')}
          name="name"
          value={name}
          onValueChange={setName}
          required
          autoFocus
          autoComplete="username"
          testId="sign-in-name"
        />
        <TextField
          label={t('signIn.password')}
          type="password"
          name="password"
          value={password}
          onValueChange={setPassword}
          required
          autoComplete="current-password"
          testId="sign-in-password"
        />
      </AuthForm>
    </AuthFrame>
  );
}
