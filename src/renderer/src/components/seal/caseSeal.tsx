import type { CaseDetail } from '../../../../shared/reviewSchemas';
import type { CaseVersion } from '../../../../shared/sealSchemas';
import { useLoad, type Loaded } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { useStation } from '../../station/StationContext';
import { Icon } from '../common/Icon';
import { ExportDialog } from './ExportDialog';
import { ReopenDialog } from './ReopenDialog';
import { SealDialog } from './SealDialog';

/** Which seal dialog the case page shows. */
export type SealOverlay =
  { kind: 'none' } | { kind: 'seal' } | { kind: 'reopen'; version: number } | { kind: 'export'; version: CaseVersion };

/** The case's sealed versions, fetched again whenever the case changes. */
export function useCaseVersions(detail: CaseDetail | undefined): Loaded<CaseVersion[]> {
  const { client } = useStation();
  return useLoad(
    detail ? () => client.call('cases.versions', { caseId: detail.id }) : null,
    detail ? `${detail.id}:${detail.version}:${detail.state}:${detail.updatedAt}` : '',
  );
}

export function latestVersion(versions: readonly CaseVersion[] | undefined): CaseVersion | null {
  let latest: CaseVersion | null = null;
  for (const v of versions ?? []) if (!latest || v.version > latest.version) latest = v;
  return latest;
}

/** Why a draft cannot be sealed yet, or null when it can. */
function sealBlocker(detail: CaseDetail): MessageKey | null {
  if (detail.state !== 'draft') return 'seal.notDraft';
  if (detail.items.length === 0) return 'seal.needsItems';
  if (detail.title.trim() === '') return 'seal.needsTitle';
  return null;
}

/**
 * The case header's seal actions: Seal on a draft (disabled, with the reason in words, while it
 * is empty or untitled); Export and Reopen on a sealed case.
 */
export function SealActions({
  detail,
  latest,
  onOpen,
}: {
  detail: CaseDetail;
  latest: CaseVersion | null;
  onOpen(overlay: SealOverlay): void;
}) {
  const { t } = useI18n();
  const { session } = useStation();
  if (detail.state === 'draft') {
    const blocker = sealBlocker(detail);
    return (
      <>
        {blocker ? (
          <span className="muted small seal-blocker" id="seal-blocker" data-testid="seal-blocker">
            {t(blocker)}
          </span>
        ) : null}
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => onOpen({ kind: 'seal' })}
          disabled={blocker !== null}
          aria-describedby={blocker ? 'seal-blocker' : undefined}
          data-testid="seal-open"
        >
          <Icon name="lock" size={14} />
          {t('seal.open')}
        </button>
      </>
    );
  }
  if (!latest) return null;
  const account = session.account;
  const mayReopen = account.role !== 'reviewer' || account.name === latest.sealedBy;
  return (
    <>
      <button
        type="button"
        className="btn"
        onClick={() => onOpen({ kind: 'export', version: latest })}
        data-testid="export-open"
      >
        <Icon name="import" size={14} />
        {t('versions.export')}
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => onOpen({ kind: 'reopen', version: latest.version })}
        disabled={!mayReopen}
        title={mayReopen ? undefined : t('reopen.notAllowed')}
        data-testid="reopen-open"
      >
        {t('reopen.open')}
      </button>
    </>
  );
}

/** The dialog the case page asked for; `onChanged` after a seal or a reopen. */
export function SealOverlays({
  overlay,
  detail,
  draftVersion,
  onClose,
  onSealed,
  onReopened,
}: {
  overlay: SealOverlay;
  detail: CaseDetail;
  draftVersion: number;
  onClose(): void;
  onSealed(version: number): void;
  onReopened(): void;
}) {
  switch (overlay.kind) {
    case 'none':
      return null;
    case 'seal':
      return (
        <SealDialog
          detail={detail}
          version={draftVersion}
          onClose={onClose}
          onSealed={(result) => onSealed(result.version)}
        />
      );
    case 'reopen':
      return <ReopenDialog detail={detail} version={overlay.version} onClose={onClose} onReopened={onReopened} />;
    case 'export':
      return <ExportDialog caseId={detail.id} version={overlay.version} onClose={onClose} />;
  }
}
