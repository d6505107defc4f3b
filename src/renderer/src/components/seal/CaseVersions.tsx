import type { CaseVersion } from '../../../../shared/sealSchemas';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { CopyButton } from '../common/CopyButton';
import { ErrorBanner } from '../common/ErrorBanner';
import type { AppError } from '../../../../shared/errors';
import { Icon } from '../common/Icon';
import { SealBadge, VersionStateMark } from './sealMarks';

/**
 * The case's sealed versions, newest first: who sealed each and when, its tag-manifest hash (the
 * value the signature and the custody entry name), its export, and who reopened it and why.
 */
export function CaseVersions({
  versions,
  error,
  onExport,
}: {
  versions: CaseVersion[] | undefined;
  error: AppError | null;
  onExport(version: CaseVersion): void;
}) {
  const { t, locale } = useI18n();
  const newestFirst = [...(versions ?? [])].sort((a, b) => b.version - a.version);
  return (
    <section className="case-side-section" data-testid="case-versions">
      <h3>{t('versions.title')}</h3>
      <ErrorBanner error={error} />
      {versions && versions.length === 0 ? <p className="muted small">{t('versions.none')}</p> : null}
      <ol className="seal-versions">
        {newestFirst.map((v) => (
          <li key={v.version} className="seal-version" data-testid="case-version" data-version={v.version}>
            <div className="seal-version-head">
              <SealBadge version={v.version} />
              <VersionStateMark state={v.state} reopened={v.reopenedAt !== null} />
              <span className="spacer" />
              <button
                type="button"
                className="btn btn-small"
                onClick={() => onExport(v)}
                aria-label={t('versions.exportLabel', { version: v.version })}
                data-testid="version-export"
              >
                <Icon name="import" size={14} />
                {t('versions.export')}
              </button>
            </div>
            <dl className="fields seal-version-fields">
              <div className="field-row">
                <dt>{t('versions.sealedBy')}</dt>
                <dd data-testid="version-sealed-by">{v.sealedBy}</dd>
              </div>
              <div className="field-row">
                <dt>{t('versions.sealedAt')}</dt>
                <dd className="mono">{formatInstant(v.sealedAt)}</dd>
              </div>
              <div className="field-row">
                <dt>{t('versions.package')}</dt>
                <dd className="mono" data-testid="version-package">
                  {v.packageName}
                </dd>
              </div>
              <div className="field-row">
                <dt>{t('versions.contents')}</dt>
                <dd>
                  {t(v.itemCount === 1 ? 'versions.contentsOne' : 'versions.contentsValue', {
                    count: v.itemCount.toLocaleString(locale),
                    size: formatSize(v.payloadBytes, t),
                  })}
                </dd>
              </div>
            </dl>
            <div className="seal-hash">
              <div className="seal-hash-head">
                <span className="muted small">{t('versions.tagManifest')}</span>
                <CopyButton text={v.tagManifestSha256} label={t('versions.copyTagManifest')} />
              </div>
              <code className="mono hash-full break" data-testid="version-tag-manifest">
                {v.tagManifestSha256}
              </code>
            </div>
            <VersionReviewLines version={v} />
            {v.reopenedBy && v.state !== 'rejected' ? (
              <div className="seal-reopened small" data-testid="version-reopened">
                <span>{t('versions.reopened', { by: v.reopenedBy, at: formatInstant(v.reopenedAt) ?? '' })}</span>
                {v.reopenReason ? (
                  <span className="case-record-reason">{t('versions.reopenReason', { reason: v.reopenReason })}</span>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Who approved or rejected the version and when, and how its upload went. */
function VersionReviewLines({ version: v }: { version: CaseVersion }) {
  const { t } = useI18n();
  const at = (iso: string | null) => formatInstant(iso) ?? '';
  return (
    <>
      {v.approvedBy ? (
        <div className="seal-reviewed small" data-testid="version-approved">
          {t('versions.approved', { by: v.approvedBy, at: at(v.approvedAt) })}
        </div>
      ) : null}
      {v.rejectedBy ? (
        <div className="seal-reopened small" data-testid="version-rejected">
          <span>{t('versions.rejected', { by: v.rejectedBy, at: at(v.rejectedAt) })}</span>
          <span className="case-record-reason">{t('versions.reopenReason', { reason: v.rejectReason ?? '' })}</span>
        </div>
      ) : null}
      {v.queuedAt && v.state === 'queued' ? (
        <div className="small muted" data-testid="version-queued">
          {t('versions.queued', { at: at(v.queuedAt) })}
        </div>
      ) : null}
      {v.syncedAt ? (
        <div className="small" data-testid="version-synced">
          {t('versions.synced', { at: at(v.syncedAt) })}
        </div>
      ) : null}
      {v.refusedAt ? (
        <div className="seal-reopened small" data-testid="version-refused">
          <span>{t('versions.refused', { at: at(v.refusedAt) })}</span>
          <span className="case-record-reason">{t('versions.reopenReason', { reason: v.refuseReason ?? '' })}</span>
        </div>
      ) : null}
    </>
  );
}
