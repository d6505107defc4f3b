import { useState, type ReactNode } from 'react';
import type { CaseDetail } from '../../../../shared/reviewSchemas';
import type { CaseVersion, DiffTag, VersionDiff } from '../../../../shared/sealSchemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n, type MessageKey } from '../../i18n';
import { formatInstant, shortHash } from '../../lib/format';
import { useStation } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { ReasonDialog } from '../common/ReasonDialog';

/**
 * A sealed version waiting for review: what changed since the previous version, and, for a
 * supervisor or an admin, Approve and Reject. The engine decides who may review (not the sealer,
 * not anyone who edited the version); its refusal is shown in words in the panel. A reviewer sees
 * that the version waits for a supervisor.
 */
export function VersionReview({
  detail,
  version,
  onReviewed,
}: {
  detail: CaseDetail;
  version: CaseVersion;
  onReviewed(): void;
}) {
  const { t } = useI18n();
  const { client, session } = useStation();
  const [dialog, setDialog] = useState<'none' | 'approve' | 'reject'>('none');
  const diff = useLoad(
    () => client.call('cases.versionDiff', { caseId: detail.id, version: version.version }),
    `${detail.id}:${version.version}`,
  );
  const account = session.account;
  const mayReview = account.role === 'supervisor' || account.role === 'admin';
  const ownSeal = account.name === version.sealedBy;

  return (
    <section className="version-review" data-testid="version-review" data-version={version.version}>
      <header className="version-review-head">
        <Icon name="shield" size={16} />
        <h2>{t('versionReview.title', { version: version.version })}</h2>
        <span className="spacer" />
        {mayReview ? (
          <>
            <button
              type="button"
              className="btn btn-danger"
              onClick={() => setDialog('reject')}
              disabled={ownSeal}
              data-testid="review-reject"
            >
              {t('versionReview.reject')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => setDialog('approve')}
              disabled={ownSeal}
              data-testid="review-approve"
            >
              <Icon name="check" size={14} />
              {t('versionReview.approve')}
            </button>
          </>
        ) : null}
      </header>
      <p className="muted small" data-testid="review-who">
        {!mayReview ? t('versionReview.waiting') : ownSeal ? t('versionReview.ownSeal') : t('versionReview.who')}
      </p>
      <ErrorBanner error={diff.error} />
      {diff.data ? <DiffView diff={diff.data} /> : null}
      {dialog === 'approve' ? (
        <ApproveDialog
          detail={detail}
          version={version}
          onClose={() => setDialog('none')}
          onApproved={() => {
            setDialog('none');
            onReviewed();
          }}
        />
      ) : null}
      {dialog === 'reject' ? (
        <ReasonDialog
          title={t('versionReview.rejectTitle', { number: detail.number, version: version.version })}
          testId="reject-dialog"
          reasonLabel={t('versionReview.rejectReason')}
          reasonPlaceholder={t('versionReview.rejectPlaceholder')}
          reasonTestId="reject-reason"
          submitLabel={t('versionReview.rejectSubmit', { next: version.version + 1 })}
          submitTestId="reject-submit"
          danger
          confirm={(reason) => client.call('cases.reject', { caseId: detail.id, version: version.version, reason })}
          onDone={() => {
            setDialog('none');
            onReviewed();
          }}
          onClose={() => setDialog('none')}
        >
          <p>{t('versionReview.rejectBody', { version: version.version, next: version.version + 1 })}</p>
        </ReasonDialog>
      ) : null}
    </section>
  );
}

function ApproveDialog({
  detail,
  version,
  onClose,
  onApproved,
}: {
  detail: CaseDetail;
  version: CaseVersion;
  onClose(): void;
  onApproved(): void;
}) {
  const { t } = useI18n();
  const { client } = useStation();
  const action = useAction();
  const approve = async () => {
    const done = await action.run(() => client.call('cases.approve', { caseId: detail.id, version: version.version }));
    if (done) onApproved();
  };
  return (
    <Dialog
      title={t('versionReview.approveTitle', { number: detail.number, version: version.version })}
      onClose={onClose}
      closable={!action.busy}
      testId="approve-dialog"
    >
      <div className="form">
        <p>{t('versionReview.approveBody', { version: version.version, by: version.sealedBy })}</p>
        <p className="small">
          {t('versionReview.approveHash')} <code className="mono break">{version.tagManifestSha256}</code>
        </p>
        <p className="muted small">{t('versionReview.approveSigned')}</p>
        <ConfirmActions
          action={action}
          onCancel={onClose}
          label={t('versionReview.approveSubmit', { version: version.version })}
          testId="approve-submit"
          onConfirm={() => void approve()}
          autoFocus
        />
      </div>
    </Dialog>
  );
}

const FIELD_LABELS: Record<keyof VersionDiff['fields'], MessageKey> = {
  title: 'versionReview.field.title',
  place: 'versionReview.field.place',
  occurredAt: 'versionReview.field.occurredAt',
  parties: 'versionReview.field.parties',
  notes: 'versionReview.field.notes',
};

function DiffView({ diff }: { diff: VersionDiff }) {
  const { t, locale } = useI18n();
  const fieldChanges = (Object.keys(FIELD_LABELS) as (keyof VersionDiff['fields'])[]).filter(
    (f) => diff.fields[f] !== null,
  );
  const nothing =
    diff.itemsAdded.length +
      diff.itemsRemoved.length +
      diff.tagsAdded.length +
      diff.tagsRemoved.length +
      diff.tagsChanged.length +
      fieldChanges.length ===
    0;
  const tagLabel = (tag: DiffTag): string => (locale === 'zh-CN' ? tag.label.zh : tag.label.en);
  return (
    <div className="version-diff" data-testid="version-diff">
      <p className="small" data-testid="diff-against">
        {diff.previousVersion === null
          ? t('versionReview.firstVersion')
          : t('versionReview.against', { previous: diff.previousVersion, version: diff.version })}
      </p>
      {nothing ? (
        <p className="muted small" data-testid="diff-nothing">
          {t('versionReview.nothingChanged')}
        </p>
      ) : null}
      <DiffList title={t('versionReview.itemsAdded')} testId="diff-items-added" kind="added">
        {diff.itemsAdded.map((i) => (
          <li key={i.id}>
            <span className="break">{i.originalName}</span> <span className="mono muted">{shortHash(i.sha256)}</span>
          </li>
        ))}
      </DiffList>
      <DiffList title={t('versionReview.itemsRemoved')} testId="diff-items-removed" kind="removed">
        {diff.itemsRemoved.map((i) => (
          <li key={i.id}>
            <span className="break">{i.originalName}</span> <span className="mono muted">{shortHash(i.sha256)}</span>
          </li>
        ))}
      </DiffList>
      <DiffList title={t('versionReview.tagsAdded')} testId="diff-tags-added" kind="added">
        {diff.tagsAdded.map((tag) => (
          <li key={tag.id}>
            {t('versionReview.tagLine', { label: tagLabel(tag), item: tag.itemName })}
            {tag.note ? <span className="muted"> · {tag.note}</span> : null}
          </li>
        ))}
      </DiffList>
      <DiffList title={t('versionReview.tagsRemoved')} testId="diff-tags-removed" kind="removed">
        {diff.tagsRemoved.map((tag) => (
          <li key={tag.id}>{t('versionReview.tagLine', { label: tagLabel(tag), item: tag.itemName })}</li>
        ))}
      </DiffList>
      <DiffList title={t('versionReview.tagsChanged')} testId="diff-tags-changed" kind="changed">
        {diff.tagsChanged.map((c) => (
          <li key={c.after.id}>
            {t('versionReview.tagLine', { label: tagLabel(c.after), item: c.after.itemName })}
            {c.fields.includes('note') ? (
              <span className="muted">
                {' '}
                · {t('versionReview.noteChange', { before: c.before.note, after: c.after.note })}
              </span>
            ) : null}
            {c.fields.some((f) => f !== 'note') ? (
              <span className="muted"> · {t('versionReview.tagEdited')}</span>
            ) : null}
          </li>
        ))}
      </DiffList>
      <DiffList title={t('versionReview.fieldsChanged')} testId="diff-fields" kind="changed">
        {fieldChanges.map((f) => (
          <li key={f} data-field={f}>
            <strong>{t(FIELD_LABELS[f])}</strong>
            <FieldChange field={f} diff={diff} />
          </li>
        ))}
      </DiffList>
    </div>
  );
}

function FieldChange({ field, diff }: { field: keyof VersionDiff['fields']; diff: VersionDiff }) {
  const { t } = useI18n();
  const show = (value: unknown): string => {
    if (value === null || value === '') return t('common.none');
    if (field === 'occurredAt' && typeof value === 'string') return formatInstant(value) ?? value;
    if (field === 'parties' && Array.isArray(value))
      return value.map((p: { name: string }) => p.name).join(t('versionReview.listSeparator'));
    return String(value);
  };
  const c = diff.fields[field];
  if (!c) return null;
  return (
    <div className="diff-change small">
      <div className="diff-before">
        <span className="muted">{t('versionReview.before')}</span> <span className="break">{show(c.before)}</span>
      </div>
      <div className="diff-after">
        <span className="muted">{t('versionReview.after')}</span> <span className="break">{show(c.after)}</span>
      </div>
    </div>
  );
}

function DiffList({
  title,
  testId,
  kind,
  children,
}: {
  title: string;
  testId: string;
  kind: 'added' | 'removed' | 'changed';
  children: ReactNode[];
}) {
  if (children.length === 0) return null;
  return (
    <div className={`diff-group diff-${kind}`} data-testid={testId} data-count={children.length}>
      <h4>
        {title} <span className="muted">({children.length})</span>
      </h4>
      <ul>{children}</ul>
    </div>
  );
}
