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
import { startAtLibrary } from './station/route';
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

  const enterSession = useCallback(
    (next: Session) => {
      setSession(next);
      setLocked(false);
      setScreen('main');
      // The account's own language, else the station's default.
      setLocale(next.account.locale ?? status.locale);
    },
    [setLocale, status.locale],
  );

  // A new session starts at the library, whatever the window showed before.
  const onSignedIn = useCallback(
    (next: Session) => {
      startAtLibrary();
      enterSession(next);
    },
    [enterSession],
  );

  /** Back to the sign-in screen, in the station's language, with nothing of the last session left open. */
  const leaveSession = useCallback(() => {
    startAtLibrary();
    setSession(null);
    setLocked(false);
    setScreen('signIn');
    setLocale(status.locale);
  }, [setLocale, status.locale]);

  // A reloaded tab may still hold a live session in the client: resume it, where it was.
  useEffect(() => {
    if (screen !== 'restoring') return;
    client.call('auth.whoami', {}).then(enterSession, () => setScreen('signIn'));
  }, [client, screen, enterSession]);

  const guarded = useMemo(
    () =>
      guardClient(client, {
        onLocked: () => setLocked(true),
        onSignedOut: leaveSession,
      }),
    [client, leaveSession],
  );

  const lock = useCallback(async () => {
    setLocked(true);
    await client.call('auth.lock', {}).catch(() => undefined);
  }, [client]);

  const signOut = useCallback(async () => {
    await client.call('auth.signOut', {}).catch(() => undefined);
    leaveSession();
  }, [client, leaveSession]);

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
