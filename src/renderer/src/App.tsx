import { useCallback, useEffect, useMemo, useState } from 'react';
import type { StationClient } from '../../shared/contract';
import type { Session } from '../../shared/schemas';
import { LockScreen } from './components/auth/LockScreen';
import { SetupScreen } from './components/auth/SetupScreen';
import { SignInScreen } from './components/auth/SignInScreen';
import { ProblemBanner } from './components/common/ErrorBanner';
import { Spinner } from './components/common/Spinner';
import { MainLayout } from './components/layout/MainLayout';
import { useIdle } from './hooks/useIdle';
import { I18nProvider, useI18n } from './i18n';
import { guardClient } from './station/guardClient';
import { StationProvider, type StationStatus, type StationValue } from './station/StationContext';

type Screen = 'setup' | 'restoring' | 'signIn' | 'main';

/** Boot: asks the station whether it needs setup, then provides the language it reports. */
export function App({ client }: { client: StationClient }) {
  const [status, setStatus] = useState<StationStatus | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    client.call('station.status', {}).then(setStatus, (error: unknown) => {
      console.error('station.status failed', error);
      setFailed(true);
    });
  }, [client]);

  if (!status) {
    return (
      <div className="boot-screen" data-testid="boot-screen">
        {failed ? (
          <ProblemBanner>The station service cannot be reached. · 无法连接工作站服务。</ProblemBanner>
        ) : (
          <Spinner label="…" />
        )}
      </div>
    );
  }
  return (
    <I18nProvider initialLocale={status.locale}>
      <Station client={client} status={status} />
    </I18nProvider>
  );
}

function Station({ client, status }: { client: StationClient; status: StationStatus }) {
  const { setLocale, t } = useI18n();
  // Without a stored session there is nothing to resume; asking would only log a refused request.
  const [screen, setScreen] = useState<Screen>(() =>
    status.setupRequired ? 'setup' : client.hasSession() ? 'restoring' : 'signIn',
  );
  const [session, setSession] = useState<Session | null>(null);
  const [locked, setLocked] = useState(false);

  const onSignedIn = useCallback(
    (next: Session) => {
      setSession(next);
      setLocked(false);
      setScreen('main');
      // The account's saved language wins over the pre-sign-in default.
      client.call('settings.get', {}).then(
        (settings) => setLocale(settings.locale),
        () => undefined,
      );
    },
    [client, setLocale],
  );

  // A reloaded tab may still hold a live session in the client: resume it instead of asking again.
  useEffect(() => {
    if (screen !== 'restoring') return;
    client.call('auth.whoami', {}).then(onSignedIn, () => setScreen('signIn'));
  }, [client, screen, onSignedIn]);

  const guarded = useMemo(
    () =>
      guardClient(client, {
        onLocked: () => setLocked(true),
        onSignedOut: () => {
          setSession(null);
          setLocked(false);
          setScreen('signIn');
        },
      }),
    [client],
  );

  const lock = useCallback(async () => {
    setLocked(true);
    await client.call('auth.lock', {}).catch(() => undefined);
  }, [client]);

  const signOut = useCallback(async () => {
    await client.call('auth.signOut', {}).catch(() => undefined);
    setSession(null);
    setLocked(false);
    setScreen('signIn');
  }, [client]);

  useIdle(session?.lockAfterMinutes ?? 15, screen === 'main' && !locked, () => void lock());

  const value = useMemo<StationValue | null>(
    () => (session ? { client: guarded, status, session, lock, signOut } : null),
    [guarded, status, session, lock, signOut],
  );

  if (screen === 'restoring') {
    return (
      <div className="boot-screen" data-testid="boot-screen">
        <Spinner label={t('boot.loading')} />
      </div>
    );
  }
  if (screen === 'setup')
    return <SetupScreen client={client} stationName={status.stationName} onSignedIn={onSignedIn} />;
  if (screen === 'signIn' || !value || !session) {
    return <SignInScreen client={client} stationName={status.stationName} onSignedIn={onSignedIn} />;
  }
  return (
    <StationProvider value={value}>
      <div className={locked ? 'app-shell app-locked' : 'app-shell'} aria-hidden={locked || undefined}>
        <MainLayout />
      </div>
      {locked ? (
        <LockScreen
          client={client}
          stationName={status.stationName}
          session={session}
          onUnlocked={(next) => {
            setSession(next);
            setLocked(false);
          }}
          onSwitchUser={() => void signOut()}
        />
      ) : null}
    </StationProvider>
  );
}
