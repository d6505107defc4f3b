import { useRef, useState, type FormEvent } from 'react';
import type { BagProblem, VerifyReport } from '../../../../shared/sealSchemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { groupFingerprint, normalizeFingerprint } from '../../lib/fingerprint';
import { formatSize } from '../../lib/size';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';
import { Fingerprint, KeyTrustMark, PassFail } from './sealMarks';
import { StationPathField, useStationPath } from './StationPathField';

/**
 * Route `#/verify`: checks a package (folder or zip) with `package.verify`, which reads only, and
 * shows each check with pass or fail, every problem, and whose key signed it.
 */
export function VerifyView() {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const path = useStationPath();
  const [expect, setExpect] = useState('');
  const [report, setReport] = useState<{ path: string; report: VerifyReport } | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);
  const stationKey = useLoad(() => client.call('station.key', {}), 'station-key');

  const run = async (event?: FormEvent) => {
    event?.preventDefault();
    const target = path.take();
    if (target === null) return;
    setReport(null);
    const fingerprint = normalizeFingerprint(expect);
    const result = await action.run(() =>
      client.call('package.verify', { path: target, ...(fingerprint ? { expectFingerprint: fingerprint } : {}) }),
    );
    if (result) {
      setReport({ path: target, report: result });
      // The verdict is what the user waits for: move focus there so a screen reader reads it.
      window.setTimeout(() => resultRef.current?.focus(), 0);
    }
  };

  return (
    <section className="verify-page" data-testid="verify-view">
      <header className="page-toolbar">
        <Icon name="shield" size={18} />
        <h1 className="page-title">{t('verify.title')}</h1>
      </header>
      <div className="page-scroll verify-body">
        <div className="verify-main">
          <p className="muted verify-intro">{t('verify.intro')}</p>
          <form className="form verify-form" onSubmit={(e) => void run(e)}>
            <StationPathField
              path={path}
              rowClassName="form-row"
              label={t('verify.path')}
              placeholder={t('verify.pathPlaceholder')}
              testId="verify-path"
              browseTestId="verify-browse"
              zips
            />
            <TextField
              label={t('verify.expect')}
              hint={t('verify.expectHint')}
              className="mono"
              value={expect}
              onValueChange={setExpect}
              spellCheck={false}
              maxLength={200}
              testId="verify-expect"
            />
            <div className="form-actions">
              <button
                type="submit"
                className="btn btn-primary"
                disabled={action.busy || path.value.trim() === ''}
                data-testid="verify-run"
              >
                <Icon name="shield" size={14} />
                {t('verify.run')}
              </button>
            </div>
          </form>
          {action.busy ? <Spinner label={t('verify.running')} /> : null}
          <ErrorBanner error={action.error} />
          {report ? (
            <div ref={resultRef} tabIndex={-1} className="verify-result-focus">
              <VerifyResult path={report.path} report={report.report} />
            </div>
          ) : null}
        </div>
        <aside className="verify-side">
          <h3>{t('verify.thisStation')}</h3>
          <ErrorBanner error={stationKey.error} />
          {stationKey.data ? (
            <Fingerprint
              value={stationKey.data.fingerprint}
              copyLabel={t('keys.copyFingerprint')}
              testId="verify-station-fingerprint"
            />
          ) : null}
        </aside>
      </div>
    </section>
  );
}

function VerifyResult({ path, report }: { path: string; report: VerifyReport }) {
  const { t, locale } = useI18n();
  const count = report.problems.length;
  return (
    <section className="verify-result" data-testid="verify-result" data-ok={report.ok} aria-live="polite">
      <div className={report.ok ? 'verdict verdict-ok' : 'verdict verdict-fail'} data-testid="verify-verdict">
        <Icon name={report.ok ? 'check' : 'warning'} size={22} />
        <div>
          <strong>
            {report.ok ? t('verify.intact') : count === 1 ? t('verify.failedOne') : t('verify.failed', { count })}
          </strong>
          <div className="mono small break">{path}</div>
        </div>
      </div>
      {report.ok && report.keyTrust === 'unknown' ? (
        <div className="banner banner-warn" role="note" data-testid="verify-unknown-key">
          <Icon name="warning" />
          <span>{t('verify.unknownKeyWarning')}</span>
        </div>
      ) : null}
      {report.warnings.length > 0 ? (
        <div className="verify-warnings" data-testid="verify-warnings">
          <h4>{t('verify.warnings')}</h4>
          <ul>
            {report.warnings.map((warning, index) => (
              <li key={index} className="small">
                {warning}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="fields verify-facts">
        <div className="field-row">
          <dt>{t('verify.package')}</dt>
          <dd data-testid="verify-case">
            {report.case && report.version
              ? t('verify.caseVersion', { case: report.case, version: report.version })
              : t('verify.unknownCase')}
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.payload')}</dt>
          <dd>
            {t('verify.payloadValue', {
              files: report.payloadFiles.toLocaleString(locale),
              size: formatSize(report.payloadBytes, t),
            })}
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.fingerprint')}</dt>
          <dd>
            {report.fingerprint ? (
              <Fingerprint
                value={report.fingerprint}
                copyLabel={t('keys.copyFingerprint')}
                testId="verify-fingerprint"
              />
            ) : (
              t('common.none')
            )}
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.trust')}</dt>
          <dd>
            <KeyTrustMark trust={report.keyTrust} />
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.checkpoint')}</dt>
          <dd data-testid="verify-checkpoint">
            {report.checkpoint
              ? t('verify.checkpointValue', { seq: report.checkpoint.seq, at: report.checkpoint.at })
              : t('verify.checkpointNone')}
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.approval')}</dt>
          <dd data-testid="verify-approval" data-verified={report.approval?.verified ?? ''}>
            {report.approval
              ? t('verify.approvalValue', { by: report.approval.by, at: report.approval.at })
              : t('verify.approvalNone')}
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('verify.receipts')}</dt>
          <dd data-testid="verify-receipts">
            {report.receipts.length === 0
              ? t('verify.receiptsNone')
              : report.receipts.map((r) => (
                  <div key={r.seq} data-verified={r.verified}>
                    {t('verify.receiptValue', {
                      seq: r.seq,
                      at: r.receivedAt,
                      fingerprint: groupFingerprint(r.serverKeyFingerprint),
                    })}
                  </div>
                ))}
          </dd>
        </div>
      </dl>
      {/* A failed package leads with its problems: they are what the reader has to act on. */}
      {report.ok ? null : <ProblemList problems={report.problems} />}
      <h3>{t('verify.checks')}</h3>
      <ul className="verify-checks" data-testid="verify-checks">
        {report.checks.map((check) => (
          <li
            key={check.name}
            className="verify-check"
            data-testid="verify-check"
            data-check={check.name}
            data-ok={check.ok}
          >
            <PassFail ok={check.ok} />
            <span>{t(`verify.check.${check.name}`)}</span>
          </li>
        ))}
      </ul>
      {report.ok ? <ProblemList problems={report.problems} /> : null}
    </section>
  );
}

function ProblemList({ problems }: { problems: BagProblem[] }) {
  const { t } = useI18n();
  return (
    <>
      <h3>{t('verify.problems')}</h3>
      {problems.length === 0 ? (
        <p className="muted small" data-testid="verify-no-problems">
          {t('verify.problemsNone')}
        </p>
      ) : (
        <table className="record-table verify-problems" data-testid="verify-problems">
          <thead>
            <tr>
              <th>{t('verify.col.path')}</th>
              <th>{t('verify.col.kind')}</th>
              <th>{t('verify.col.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((problem, index) => (
              <tr key={index} data-testid="verify-problem" data-kind={problem.kind} data-path={problem.path}>
                <td className="mono break">{problem.path || <span className="muted">{t('verify.wholeBag')}</span>}</td>
                <td className="nowrap">
                  <span className="mark mark-danger">
                    <Icon name="close" size={11} />
                    {t(`verify.kind.${problem.kind}`)}
                  </span>
                </td>
                <td className="small break">{problem.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
