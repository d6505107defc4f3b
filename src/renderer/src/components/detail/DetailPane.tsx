import { useState } from 'react';
import type { ItemDetail } from '../../../../shared/schemas';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatCoordinate, formatDuration, formatInstant, splitInstant, formatContainer } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { KIND_ICON, OffsetAssumedMark, UndecodableMark } from '../library/ItemMarks';
import { AddToCaseDialog } from '../cases/AddToCaseDialog';
import { CorrectTimeForm } from './CorrectTimeForm';
import { CustodyList } from './CustodyList';
import { Field, Section } from './Fields';
import { MediaPreview } from './MediaPreview';

export function DetailPane({ itemId, onOpenImport }: { itemId: string | null; onOpenImport(importId: string): void }) {
  const { t } = useI18n();
  const client = useClient();
  // Keyed by the item alone: a change to it (a thumbnail made, a tag added) reloads it in place,
  // keeping what is shown until the new answer is in, instead of blanking the pane.
  const detail = useLoad(itemId ? () => client.call('items.get', { id: itemId }) : null, itemId ?? '');
  const { reload } = detail;

  useStationEvent('library.changed', ({ itemIds }) => {
    if (itemId && itemIds.includes(itemId)) reload();
  });

  if (!itemId) {
    return (
      <aside className="detail-pane detail-empty" data-testid="detail-pane">
        <Icon name="video" size={32} />
        <p className="muted">{t('detail.empty')}</p>
      </aside>
    );
  }
  return (
    <aside className="detail-pane" data-testid="detail-pane" data-item-id={itemId}>
      <ErrorBanner error={detail.error} />
      {detail.data ? (
        <ItemDetails key={detail.data.id} item={detail.data} onChanged={reload} onOpenImport={onOpenImport} />
      ) : detail.error ? null : (
        <p className="muted pad">{t('common.loading')}</p>
      )}
    </aside>
  );
}

function ItemDetails({
  item,
  onChanged,
  onOpenImport,
}: {
  item: ItemDetail;
  onChanged(): void;
  onOpenImport(importId: string): void;
}) {
  const { t } = useI18n();
  const [correcting, setCorrecting] = useState(false);
  const [addingToCase, setAddingToCase] = useState(false);
  const { navigate } = useNavigation();
  const media = item.media;
  const recordedOffset = item.recordedAt ? splitInstant(item.recordedAt)?.offset : undefined;

  return (
    <div className="detail-scroll" data-testid="detail">
      <header className="detail-header">
        <Icon name={KIND_ICON[item.kind]} size={18} />
        <h2 className="ellipsis" title={item.originalName} data-testid="detail-name">
          {item.originalName}
        </h2>
        {item.status === 'undecodable' ? <UndecodableMark /> : null}
      </header>
      {item.status === 'undecodable' && item.reason ? (
        <div className="banner banner-error" data-testid="detail-reason">
          {item.reason}
        </div>
      ) : null}

      <div className="detail-preview">
        <MediaPreview item={item} />
      </div>

      <div className="detail-actions">
        {isReviewable(item) ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => navigate({ view: 'review', itemId: item.id })}
            data-testid="open-review"
          >
            <Icon name="video" size={14} />
            {t('review.openInReview')}
          </button>
        ) : null}
        <button type="button" className="btn btn-small" onClick={() => setAddingToCase(true)} data-testid="add-to-case">
          {t('addToCase.open')}
        </button>
      </div>
      {addingToCase ? <AddToCaseDialog itemIds={[item.id]} onClose={() => setAddingToCase(false)} /> : null}

      <Section title={t('detail.sectionIntegrity')}>
        <div className="hash-block">
          <code className="mono hash-full" data-testid="detail-sha256">
            {item.sha256}
          </code>
          <CopyButton text={item.sha256} label={t('detail.copyHash')} testId="copy-sha256" />
        </div>
        <dl className="fields">
          <Field label={t('detail.size')} testId="detail-size">
            {t('detail.sizeValue', { size: formatSize(item.size, t), bytes: item.size.toLocaleString('en-US') })}
          </Field>
          <Field label={t('detail.status')}>{t(`status.${item.status}`)}</Field>
        </dl>
      </Section>

      <Section title={t('detail.sectionTime')} testId="detail-time">
        <dl className="fields">
          <Field label={t('detail.recordedAt')} testId="detail-recorded-at">
            {item.recordedAt ? (
              <span className="recorded-time">
                <span className={item.offsetKnown ? 'mono' : 'mono warn-text'}>{formatInstant(item.recordedAt)}</span>
                {item.offsetKnown ? null : <OffsetAssumedMark />}
              </span>
            ) : null}
          </Field>
          <Field label={t('detail.recordedAtSource')}>
            {item.recordedAtSource ? t(`source.${item.recordedAtSource}`) : null}
          </Field>
          <Field label={t('detail.offset')}>
            {recordedOffset
              ? t('detail.offsetValue', {
                  offset: recordedOffset === 'Z' ? 'UTC' : recordedOffset,
                  state: item.offsetKnown ? t('detail.offsetKnown') : t('marks.offsetAssumed'),
                })
              : null}
          </Field>
          <Field label={t('detail.originalRecordedAt')}>
            {item.originalRecordedAt ? <span className="mono">{formatInstant(item.originalRecordedAt)}</span> : null}
          </Field>
        </dl>
        <h4>{t('detail.correctionsTitle')}</h4>
        {item.corrections.length === 0 ? (
          <p className="muted small">{t('detail.correctionsNone')}</p>
        ) : (
          <ol className="corrections" data-testid="corrections">
            {item.corrections.map((c) => (
              <li key={c.at}>
                <div className="mono">
                  {t('detail.correctionEntry', {
                    previous: formatInstant(c.previous) ?? t('common.none'),
                    recordedAt: formatInstant(c.recordedAt) ?? '',
                  })}
                </div>
                <div className="muted small">
                  {t('detail.correctionBy', { by: c.by, at: formatInstant(c.at) ?? '' })}
                </div>
                <div className="small">{c.reason}</div>
              </li>
            ))}
          </ol>
        )}
        {correcting ? (
          <CorrectTimeForm
            item={item}
            onCancel={() => setCorrecting(false)}
            onSaved={() => {
              setCorrecting(false);
              onChanged();
            }}
          />
        ) : (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setCorrecting(true)}
            data-testid="correct-time-open"
          >
            <Icon name="clock" size={14} />
            {t('correct.open')}
          </button>
        )}
      </Section>

      <Section title={t('detail.sectionMedia')} testId="detail-media">
        <dl className="fields">
          <Field label={t('detail.kind')}>{t(`kind.${item.kind}`)}</Field>
          <Field label={t('detail.container')} testId="detail-container">
            {formatContainer(media.container, item.originalName)}
          </Field>
          <Field label={t('detail.mimeType')}>{media.mimeType}</Field>
          <Field label={t('detail.duration')} testId="detail-duration">
            {formatDuration(media.durationSec ?? item.durationSec)}
          </Field>
          <Field label={t('detail.videoCodec')} testId="detail-video-codec">
            {media.videoCodec}
          </Field>
          <Field label={t('detail.audioCodec')} testId="detail-audio-codec">
            {media.audioCodec}
          </Field>
          <Field label={t('detail.resolution')} testId="detail-resolution">
            {media.width && media.height
              ? t('detail.resolutionValue', { width: media.width, height: media.height })
              : null}
          </Field>
          <Field label={t('detail.frameRate')}>
            {media.frameRate ? t('detail.frameRateValue', { fps: Number(media.frameRate.toFixed(3)) }) : null}
          </Field>
          <Field label={t('detail.rotation')}>
            {media.rotation != null ? t('detail.rotationValue', { degrees: media.rotation }) : null}
          </Field>
          <Field label={t('detail.pixelFormat')}>{media.pixelFormat}</Field>
          <Field label={t('detail.bitRate')}>
            {media.bitRate ? t('detail.bitRateValue', { kbps: Math.round(media.bitRate / 1000) }) : null}
          </Field>
          <Field label={t('detail.gps')} testId="detail-gps">
            {media.gps ? (
              <span className="mono">
                {t('detail.gpsValue', { lat: formatCoordinate(media.gps.lat), lon: formatCoordinate(media.gps.lon) })}
              </span>
            ) : null}
          </Field>
          {media.gps?.alt != null ? (
            <Field label={t('detail.altitude')}>{t('detail.altitudeValue', { alt: media.gps.alt.toFixed(1) })}</Field>
          ) : null}
        </dl>
      </Section>

      <Section title={t('detail.sectionSource')} testId="detail-source">
        <dl className="fields">
          <Field label={t('detail.make')}>{media.make}</Field>
          <Field label={t('detail.model')}>{media.model}</Field>
          <Field label={t('detail.serial')} testId="detail-serial">
            {media.serial}
          </Field>
          <Field label={t('detail.firmware')} testId="detail-firmware">
            {media.firmware}
          </Field>
          <Field label={t('detail.deviceId')} testId="detail-device">
            {item.deviceId}
          </Field>
          <Field label={t('detail.officerId')} testId="detail-officer">
            {item.officerId}
          </Field>
          <Field label={t('detail.originalName')}>{item.originalName}</Field>
          <Field label={t('detail.relativePath')}>
            <span className="mono break">{item.relativePath}</span>
          </Field>
          <Field label={t('detail.sourceDevice')}>{item.sourceDevice}</Field>
          <Field label={t('detail.importedAt')}>
            <span className="mono">{formatInstant(item.importedAt)}</span>
          </Field>
          <Field label={t('detail.importedBy')}>{item.importedBy}</Field>
          {item.importId !== null && (
            <Field label={t('detail.importRecord')}>
              <button type="button" className="btn-link" onClick={() => item.importId && onOpenImport(item.importId)}>
                {t('detail.openImportRecord')}
              </button>
            </Field>
          )}
        </dl>
      </Section>

      <Section title={t('detail.custodyTitle')} testId="detail-custody">
        <CustodyList itemId={item.id} refreshKey={`${item.corrections.length}:${item.custodySeqs.length}`} />
      </Section>
    </div>
  );
}

/** Video recordings open in the review workspace; other items have nothing to scrub. */
function isReviewable(item: ItemDetail): boolean {
  return item.status === 'ok' && item.kind === 'video';
}
