import { useState } from 'react';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useNavigation } from '../../station/NavigationContext';
import { useStation } from '../../station/StationContext';
import { Icon } from '../common/Icon';
import { LanguageSwitch } from '../common/LanguageSwitch';
import { StationKeysDialog } from '../seal/StationKeysDialog';
import { ChangePasswordButton } from '../accounts/ChangePasswordDialog';
import { JobsPanel } from './JobsPanel';

export function TopBar({ onImport, onAccounts }: { onImport(): void; onAccounts(): void }) {
  const { t } = useI18n();
  const { client, status, session, lock, signOut } = useStation();
  const initialJobs = useLoad(() => client.call('jobs.summary', {}), 'jobs');
  const [liveJobs, setLiveJobs] = useState<{ pending: number; running: number; failed: number } | null>(null);
  useStationEvent('jobs.changed', setLiveJobs);
  const jobs = liveJobs ?? initialJobs.data;
  const account = session.account;
  const isAdmin = account.role === 'admin';
  const { route, navigate } = useNavigation();
  const [keysOpen, setKeysOpen] = useState(false);
  const [jobsOpen, setJobsOpen] = useState(false);
  const section = route.view === 'case' ? 'cases' : route.view === 'review' ? 'library' : route.view;

  return (
    <header className="top-bar" data-testid="top-bar">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="shield" size={18} />
        </span>
        <div className="brand-text">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-station" data-testid="station-name">
            {status.stationName}
          </span>
        </div>
      </div>
      <button type="button" className="btn btn-primary" onClick={onImport} data-testid="open-import">
        <Icon name="import" />
        {t('top.import')}
      </button>
      <nav className="top-nav" aria-label={t('nav.label')}>
        <button
          type="button"
          className="top-nav-tab"
          aria-current={section === 'library' ? 'page' : undefined}
          onClick={() => navigate({ view: 'library' })}
          data-testid="nav-library"
        >
          {t('nav.library')}
        </button>
        <button
          type="button"
          className="top-nav-tab"
          aria-current={section === 'cases' ? 'page' : undefined}
          onClick={() => navigate({ view: 'cases' })}
          data-testid="nav-cases"
        >
          {t('nav.cases')}
        </button>
        <button
          type="button"
          className="top-nav-tab"
          aria-current={section === 'verify' ? 'page' : undefined}
          onClick={() => navigate({ view: 'verify' })}
          data-testid="nav-verify"
        >
          {t('nav.verify')}
        </button>
        <button
          type="button"
          className="top-nav-tab"
          aria-current={section === 'sync' ? 'page' : undefined}
          onClick={() => navigate({ view: 'sync' })}
          data-testid="nav-sync"
        >
          {t('nav.sync')}
        </button>
        {isAdmin ? (
          <button
            type="button"
            className="top-nav-tab"
            aria-current={section === 'taxonomy' ? 'page' : undefined}
            onClick={() => navigate({ view: 'taxonomy' })}
            data-testid="nav-taxonomy"
          >
            {t('nav.taxonomy')}
          </button>
        ) : null}
      </nav>
      <div className="spacer" />
      {jobs && (jobs.pending > 0 || jobs.running > 0 || jobs.failed > 0) ? (
        <button
          type="button"
          className="jobs-indicator dot-list btn btn-ghost"
          onClick={() => setJobsOpen(true)}
          title={t('jobs.open')}
          data-testid="jobs-indicator"
        >
          {jobs.pending > 0 || jobs.running > 0 ? (
            <span>
              <span className="spinner spinner-small" aria-hidden="true" data-testid="jobs-spinner" />
              {t('top.jobs', { running: jobs.running, pending: jobs.pending })}
            </span>
          ) : null}
          {jobs.failed ? <span className="warn-text">{t('top.jobsFailed', { count: jobs.failed })}</span> : null}
        </button>
      ) : null}
      {jobsOpen ? <JobsPanel counts={jobs} onClose={() => setJobsOpen(false)} /> : null}
      <LanguageSwitch persist={(locale) => client.call('settings.setLocale', { locale })} />
      <span className="account-chip" data-testid="account-chip" title={account.name}>
        <Icon name="users" size={14} />
        {t('top.account', { name: account.displayName || account.name, role: t(`role.${account.role}`) })}
      </span>
      {isAdmin ? (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={onAccounts}
          title={t('top.accounts')}
          data-testid="open-accounts"
        >
          <Icon name="users" />
          <span className="top-bar-label">{t('top.accounts')}</span>
        </button>
      ) : null}
      {isAdmin ? (
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => setKeysOpen(true)}
          title={t('keys.open')}
          data-testid="open-station-keys"
        >
          <Icon name="shield" />
          <span className="top-bar-label">{t('keys.open')}</span>
        </button>
      ) : null}
      {keysOpen ? <StationKeysDialog onClose={() => setKeysOpen(false)} /> : null}
      <ChangePasswordButton />
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => void lock()}
        title={t('top.lock')}
        data-testid="lock"
      >
        <Icon name="lock" />
        <span className="top-bar-label">{t('top.lock')}</span>
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => void signOut()}
        title={t('top.signOut')}
        data-testid="sign-out"
      >
        <Icon name="logout" />
        <span className="top-bar-label">{t('top.signOut')}</span>
      </button>
    </header>
  );
}
