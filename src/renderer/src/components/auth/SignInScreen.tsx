import { useState } from 'react';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { TextField } from '../common/FormField';
import { AuthForm, type SessionScreenProps } from './AuthForm';
import { AuthFrame } from './AuthFrame';

export function SignInScreen({ client, stationName, onSignedIn }: SessionScreenProps) {
  const { t } = useI18n();
  const action = useAction();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  const submit = async () => {
    const session = await action.run(() => client.call('auth.signIn', { name: name.trim(), password }));
    if (session) onSignedIn(session);
    else setPassword('');
  };

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
