import { useEffect, useState, type FormEvent } from 'react';
import type { SyncFileStatus, SyncSettings, SyncStatus, SyncVersionStatus } from '../../../../shared/syncSchemas';
import { useAction } from '../../hooks/useAction';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { formatEta } from '../../lib/transferRate';
import { useClient, useStation } from '../../station/StationContext';
import { ErrorBanner, ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { ProgressBar, progressRatio } from '../common/ProgressBar';
import { Fingerprint } from '../seal/sealMarks';

/** While something is in flight the figures move every second; otherwise events say when to look again. */
const LIVE_REFRESH_MS = 1_000;
const MB = 1_000_000;

/**
 * Route `#/sync`: the station's enrolment with the central server, the upload settings (admins
 * change them) and every queued version and file: pending, uploading with bytes, speed and time
 * left, waiting to retry (why, and when), synced with its receipt, or refused with the server's
 * reason. Everything shown is `sync.status`; the panel itself keeps no state of the outbox.
 */
export function SyncView() {
  const { t } = useI18n();
  const client = useClient();
  const { session } = useStation();
  const isAdmin = session.account.role === 'admin';
  const status = useLoad(() => client.call('sync.status', {}), 'sync-status');
  const now = useAction();
  useStationEvent('sync.changed', () => status.reload());
  const data = status.data;
  const live = data?.running || data?.versions.some((v) => v.state === 'uploading');

  useEffect(() => {
    if (!live) return;
    const timer = window.setInterval(() => status.reload(), LIVE_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [live, status]);

  return (
    <section className="sync-page" data-testid="sync-view">
      <header className="page-toolbar">
        <Icon name="up" size={18} />
        <h1 className="page-title">{t('sync.title')}</h1>
        <div className="spacer" />
        {data?.enrolment ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={now.busy}
            onClick={() => void now.run(() => client.call('sync.now', { wait: false })).then(() => status.reload())}
            data-testid="sync-now"
          >
            <Icon name="up" size={14} />
            {data.running ? t('sync.running') : t('sync.now')}
          </button>
        ) : null}
      </header>
      <div className="page-scroll sync-body">
        <p className="muted">{t('sync.intro')}</p>
        <ErrorBanner error={status.error} />
        <ErrorBanner error={now.error} onDismiss={now.clearError} />
        {data ? (
          <>
            <Enrolment status={data} isAdmin={isAdmin} onEnrolled={status.reload} />
            <Settings status={data} isAdmin={isAdmin} onSaved={status.reload} />
            <Outbox versions={data.versions} />
          </>
        ) : null}
      </div>
    </section>
  );
}

function Enrolment({ status, isAdmin, onEnrolled }: { status: SyncStatus; isAdmin: boolean; onEnrolled(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const e = status.enrolment;

  const enrol = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(() => client.call('sync.enrol', { serverUrl: serverUrl.trim(), code: code.trim() }));
    if (done) onEnrolled();
  };

  return (
    <section className="sync-section" data-testid="sync-enrolment" data-enrolled={e !== null}>
      <h2>{t('sync.enrolment')}</h2>
      {e ? (
        <dl className="fields">
          <div className="field-row">
            <dt>{t('sync.serverUrl')}</dt>
            <dd className="mono break" data-testid="sync-server-url">
              {e.serverUrl}
            </dd>
          </div>
          <div className="field-row">
            <dt>{t('sync.serverKey')}</dt>
            <dd>
              <Fingerprint
                value={e.serverKeyFingerprint}
                copyLabel={t('sync.copyFingerprint')}
                testId="sync-server-key"
              />
            </dd>
          </div>
          <div className="field-row">
            <dt />
            <dd className="muted small">
              {t('sync.enrolled', { by: e.enrolledBy, at: formatInstant(e.enrolledAt) ?? '' })}
            </dd>
          </div>
        </dl>
      ) : (
        <>
          <p>{t('sync.notEnrolled')}</p>
          {isAdmin ? (
            <form className="form" onSubmit={(ev) => void enrol(ev)}>
              <TextField
                label={t('sync.serverUrl')}
                hint={t('sync.serverUrlHint')}
                className="mono"
                value={serverUrl}
                onValueChange={setServerUrl}
                spellCheck={false}
                maxLength={2048}
                testId="sync-enrol-url"
              />
              <TextField
                label={t('sync.code')}
                hint={t('sync.codeHint')}
                className="mono"
                value={code}
                onValueChange={setCode}
                spellCheck={false}
                maxLength={200}
                testId="sync-enrol-code"
              />
              <div className="form-actions">
                <button
                  type="submit"
                  className="btn btn-primary"
                  disabled={action.busy || serverUrl.trim() === '' || code.trim() === ''}
                  data-testid="sync-enrol"
                >
                  {action.busy ? t('sync.enrolling') : t('sync.enrol')}
                </button>
              </div>
              <ErrorBanner error={action.error} onDismiss={action.clearError} />
            </form>
          ) : (
            <p className="muted">{t('sync.notEnrolledAskAdmin')}</p>
          )}
        </>
      )}
    </section>
  );
}

/** The settings as the form edits them: text, so an empty field means "none". */
function toForm(s: SyncSettings): { limit: string; from: string; to: string } {
  return {
    limit: s.bandwidthBytesPerSec === null ? '' : String(s.bandwidthBytesPerSec / MB),
    from: s.window?.start ?? '',
    to: s.window?.end ?? '',
  };
}

function fromForm(f: { limit: string; from: string; to: string }): SyncSettings | null {
  const limit = f.limit.trim() === '' ? null : Math.round(Number(f.limit) * MB);
  if (limit !== null && (!Number.isFinite(limit) || limit < 10_000)) return null;
  if ((f.from === '') !== (f.to === '')) return null;
  return { bandwidthBytesPerSec: limit, window: f.from ? { start: f.from, end: f.to } : null };
}

function Settings({ status, isAdmin, onSaved }: { status: SyncStatus; isAdmin: boolean; onSaved(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [form, setForm] = useState(() => toForm(status.settings));
  const [invalid, setInvalid] = useState(false);
  const [saved, setSaved] = useState(false);
  const s = status.settings;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = fromForm(form);
    setInvalid(next === null);
    setSaved(false);
    if (!next) return;
    const done = await action.run(() => client.call('sync.settings', next));
    if (done) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <section className="sync-section" data-testid="sync-settings">
      <h2>{t('sync.settings')}</h2>
      {status.outsideWindow && s.window ? (
        <div className="banner banner-warn" role="note" data-testid="sync-outside-window">
          <Icon name="clock" />
          <span>{t('sync.outsideWindow', { from: s.window.start })}</span>
        </div>
      ) : null}
      {isAdmin ? (
        <form className="form" onSubmit={(ev) => void save(ev)}>
          <TextField
            label={t('sync.bandwidth')}
            hint={t('sync.bandwidthHint')}
            inputMode="decimal"
            value={form.limit}
            onValueChange={(limit) => setForm({ ...form, limit })}
            testId="sync-bandwidth"
          />
          <div className="form-row">
            <TextField
              label={t('sync.windowFrom')}
              fieldClassName="grow"
              type="time"
              value={form.from}
              onValueChange={(from) => setForm({ ...form, from })}
              testId="sync-window-from"
            />
            <TextField
              label={t('sync.windowTo')}
              fieldClassName="grow"
              type="time"
              value={form.to}
              onValueChange={(to) => setForm({ ...form, to })}
              testId="sync-window-to"
            />
          </div>
          <small className="muted">{t('sync.windowHint')}</small>
          <div className="form-actions">
            <button type="submit" className="btn" disabled={action.busy} data-testid="sync-save-settings">
              {t('sync.save')}
            </button>
            {saved ? <span className="muted small">{t('sync.saved')}</span> : null}
          </div>
          {invalid ? <ProblemBanner testId="sync-settings-invalid">{t('sync.settingsInvalid')}</ProblemBanner> : null}
          <ErrorBanner error={action.error} onDismiss={action.clearError} />
        </form>
      ) : (
        <dl className="fields">
          <div className="field-row">
            <dt>{t('sync.bandwidth')}</dt>
            <dd>{s.bandwidthBytesPerSec === null ? t('sync.noLimit') : String(s.bandwidthBytesPerSec / MB)}</dd>
          </div>
          <div className="field-row">
            <dt>{t('sync.window')}</dt>
            <dd>{s.window ? `${s.window.start}–${s.window.end}` : t('sync.anyTime')}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

function Outbox({ versions }: { versions: SyncVersionStatus[] }) {
  const { t } = useI18n();
  if (versions.length === 0)
    return (
      <p className="muted" data-testid="sync-empty">
        {t('sync.empty')}
      </p>
    );
  return (
    <table className="record-table sync-table" data-testid="sync-versions">
      <thead>
        <tr>
          <th>{t('sync.col.case')}</th>
          <th>{t('sync.col.state')}</th>
          <th>{t('sync.col.progress')}</th>
          <th>{t('sync.col.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <VersionRow key={`${v.caseId}:${v.version}`} v={v} />
        ))}
      </tbody>
    </table>
  );
}

function Problem({ problem }: { problem: SyncVersionStatus['lastProblem'] }) {
  const { t } = useI18n();
  if (!problem) return null;
  return (
    <span className="warn-text" data-testid="sync-problem" data-code={problem.code}>
      {t(`syncProblem.${problem.code}` as MessageKey)}
      {problem.detail ? <span className="muted small"> ({problem.detail})</span> : null}
    </span>
  );
}

function VersionRow({ v }: { v: SyncVersionStatus }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const done = v.files.reduce((a, f) => a + f.bytesDone, 0);
  const uploading = v.files.find((f) => f.state === 'uploading');
  return (
    <>
      <tr data-testid="sync-version" data-case={v.caseNumber} data-version={v.version} data-state={v.state}>
        <td>{t('sync.caseVersion', { number: v.caseNumber, version: v.version })}</td>
        <td>
          <span className={`mark sync-state sync-state-${v.state}`}>{t(`sync.state.${v.state}`)}</span>
        </td>
        <td>
          <div className="sync-progress">
            <ProgressBar
              value={v.state === 'synced' ? 1 : progressRatio(done, v.bytesTotal)}
              label={t('sync.col.progress')}
            />
            <span className="small muted">
              {t('sync.bytes', { done: formatSize(done, t), total: formatSize(v.bytesTotal, t) })} ·{' '}
              {t('sync.files', { sent: v.filesSent, count: v.files.length })}
            </span>
            {uploading?.bytesPerSec ? (
              <span className="small muted">
                {t('sync.speed', { speed: formatSize(Math.round(uploading.bytesPerSec), t) })}
                {uploading.secondsLeft !== null
                  ? ` · ${t('sync.eta', { time: formatEta(uploading.secondsLeft) })}`
                  : ''}
              </span>
            ) : null}
          </div>
        </td>
        <td>
          <div className="sync-detail">
            {v.receipt ? (
              <span data-testid="sync-receipt" data-seq={v.receipt.seq}>
                {t('sync.receipt', { seq: v.receipt.seq, at: formatInstant(v.receipt.receivedAt) ?? '' })}
              </span>
            ) : null}
            {v.state === 'refused' && v.refusedReason ? (
              <span className="warn-text" data-testid="sync-refused">
                {t('sync.refusedReason', { reason: v.refusedReason })}
              </span>
            ) : null}
            <Problem problem={v.lastProblem} />
            {v.nextAttemptAt ? (
              <span className="small muted">
                {t('sync.retryAt', { at: formatInstant(v.nextAttemptAt) ?? '' })}
                {v.attempts > 0 ? ` · ${t('sync.attempts', { count: v.attempts })}` : ''}
              </span>
            ) : null}
            {v.files.length > 0 ? (
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(!open)}>
                {open ? t('sync.hideFiles') : t('sync.showFiles')}
              </button>
            ) : null}
          </div>
        </td>
      </tr>
      {open ? v.files.map((f) => <FileRow key={f.path} f={f} />) : null}
    </>
  );
}

function FileRow({ f }: { f: SyncFileStatus }) {
  const { t } = useI18n();
  return (
    <tr className="sync-file" data-testid="sync-file" data-path={f.path} data-state={f.state}>
      <td className="mono small break">{f.path}</td>
      <td>
        <span className={`mark sync-state sync-state-${f.state}`}>{t(`sync.state.${f.state}`)}</span>
        {f.done === 'held' ? <span className="small muted"> ({t('sync.held')})</span> : null}
      </td>
      <td>
        <div className="sync-progress">
          <ProgressBar value={progressRatio(f.bytesDone, f.size)} label={f.path} />
          <span className="small muted">
            {t('sync.bytes', { done: formatSize(f.bytesDone, t), total: formatSize(f.size, t) })}
            {f.bytesPerSec ? ` · ${t('sync.speed', { speed: formatSize(Math.round(f.bytesPerSec), t) })}` : ''}
            {f.secondsLeft !== null ? ` · ${t('sync.eta', { time: formatEta(f.secondsLeft) })}` : ''}
          </span>
        </div>
      </td>
      <td>
        <div className="sync-detail">
          <Problem problem={f.lastProblem} />
          {f.nextAttemptAt ? (
            <span className="small muted">{t('sync.retryAt', { at: formatInstant(f.nextAttemptAt) ?? '' })}</span>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
