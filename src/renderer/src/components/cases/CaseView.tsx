import { useState } from 'react';
import type { CaseItem } from '../../../../shared/reviewSchemas';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';
import { CaseDetailsPanel } from './CaseDetailsPanel';
import { CaseEvidenceList } from './CaseEvidenceList';
import { CaseStateBadge } from './caseMarks';
import { CaseRecord } from './CaseRecord';
import { CaseTimeline } from './CaseTimeline';
import { RemoveItemDialog } from './RemoveItemDialog';
import { CaseVersions } from '../seal/CaseVersions';
import { SealActions, SealOverlays, latestVersion, useCaseVersions, type SealOverlay } from '../seal/caseSeal';
import { SealBadge } from '../seal/sealMarks';
import { VersionReview } from '../seal/VersionReview';

/**
 * Route `#/cases/<ref>` (id or number): the case's header, its evidence on one time axis and as a
 * list, its fields and its custody record. Follows `cases.changed` (and tag changes of its items).
 */
export function CaseView({ caseRef }: { caseRef: string }) {
  const { t } = useI18n();
  const client = useClient();
  const { navigate } = useNavigation();
  const [removing, setRemoving] = useState<CaseItem | null>(null);
  // reload() keeps the case on screen while it is fetched again, so a refresh never flickers.
  const loaded = useLoad(() => client.call('cases.get', { ref: caseRef }), caseRef);
  const detail = loaded.data;
  const reload = loaded.reload;
  const versions = useCaseVersions(detail);
  const [sealOverlay, setSealOverlay] = useState<SealOverlay>({ kind: 'none' });
  const [sealedNotice, setSealedNotice] = useState<number | null>(null);
  // An export changes no case field but adds to the record: closing its dialog refreshes the record.
  const [exportsClosed, setExportsClosed] = useState(0);

  useStationEvent('cases.changed', ({ caseId }) => {
    if (detail?.id === caseId) reload();
  });
  useStationEvent('review.changed', ({ itemId }) => {
    if (detail?.items.some((entry) => entry.item.id === itemId)) reload();
  });
  useStationEvent('library.changed', ({ itemIds }) => {
    if (detail?.items.some((entry) => itemIds.includes(entry.item.id))) reload();
  });

  if (!detail) {
    return (
      <section className="case-page" data-testid="case-view">
        <div className="page-toolbar">
          <button type="button" className="btn btn-ghost" onClick={() => navigate({ view: 'cases' })}>
            ← {t('case.back')}
          </button>
        </div>
        <ErrorBanner error={loaded.error} />
        {loaded.error?.code === 'case.notFound' ? (
          <div className="page-empty">
            <p>{t('case.notFoundBody')}</p>
          </div>
        ) : loaded.error ? null : (
          <div className="page-empty">
            <Spinner label={t('common.loading')} />
          </div>
        )}
      </section>
    );
  }

  const isDraft = detail.state === 'draft';
  const count = detail.items.length;
  const latest = latestVersion(versions.data);
  // The current version sealed and not yet reviewed: the supervisor's review panel leads the page.
  const awaitingReview = detail.state === 'sealed' && latest?.state === 'sealed' && latest.reopenedAt === null;
  return (
    <section className="case-page" data-testid="case-view" data-case-id={detail.id} data-state={detail.state}>
      <header className="page-toolbar case-header">
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => navigate({ view: 'cases' })}
          data-testid="case-back"
        >
          ← {t('case.back')}
        </button>
        <code className="mono case-number" title={t('case.number')} data-testid="case-number">
          {detail.number}
        </code>
        <CopyButton text={detail.number} label={t('case.copyNumber')} testId="copy-case-number" />
        <h1 className="page-title ellipsis" title={detail.title} data-testid="case-title">
          {detail.title}
        </h1>
        {detail.state === 'sealed' && latest ? (
          <SealBadge version={latest.version} testId="case-seal-badge" />
        ) : (
          <CaseStateBadge state={detail.state} />
        )}
        {isDraft && detail.sealedVersions > 0 ? (
          <span className="mark mark-info" data-testid="case-draft-version" data-version={detail.version}>
            {t('seal.draftOf', { version: detail.version })}
          </span>
        ) : null}
        <span className="muted" data-testid="case-item-count" data-count={count}>
          {count === 1 ? t('case.itemsOne') : t('case.items', { count })}
        </span>
        <span className="spacer" />
        <SealActions detail={detail} latest={latest} onOpen={setSealOverlay} />
      </header>
      <ErrorBanner error={loaded.error} />
      {sealedNotice !== null && !isDraft ? (
        <div className="banner banner-ok" role="status" data-testid="seal-done">
          <Icon name="lock" />
          <span>{t('seal.done', { version: sealedNotice })}</span>
        </div>
      ) : null}
      {!isDraft && latest ? (
        <div className="banner banner-sealed" data-testid="case-read-only">
          <Icon name="lock" />
          <span>{t('seal.readOnly', { version: latest.version, next: latest.version + 1 })}</span>
        </div>
      ) : null}
      <div className="case-body">
        <div className="case-main">
          {awaitingReview && latest ? <VersionReview detail={detail} version={latest} onReviewed={reload} /> : null}
          <CaseTimeline items={detail.items} />
          <CaseEvidenceList items={detail.items} canRemove={isDraft} onRemove={setRemoving} />
        </div>
        <aside className="case-side">
          <CaseVersions
            versions={versions.data}
            error={versions.error}
            onExport={(version) => setSealOverlay({ kind: 'export', version })}
          />
          <CaseDetailsPanel detail={detail} onSaved={reload} />
          <CaseRecord
            caseId={detail.id}
            refreshKey={`${detail.updatedAt}:${detail.state}:${detail.version}:${count}:${exportsClosed}`}
            itemNames={new Map(detail.items.map((entry) => [entry.item.id, entry.item.originalName]))}
          />
        </aside>
      </div>
      {removing ? (
        <RemoveItemDialog
          caseId={detail.id}
          entry={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            reload();
          }}
        />
      ) : null}
      <SealOverlays
        overlay={sealOverlay}
        detail={detail}
        draftVersion={detail.version}
        onClose={() => {
          if (sealOverlay.kind === 'export') setExportsClosed((n) => n + 1);
          setSealOverlay({ kind: 'none' });
        }}
        onSealed={(version) => {
          setSealOverlay({ kind: 'none' });
          setSealedNotice(version);
          reload();
        }}
        onReopened={() => {
          setSealOverlay({ kind: 'none' });
          setSealedNotice(null);
          reload();
        }}
      />
    </section>
  );
}
