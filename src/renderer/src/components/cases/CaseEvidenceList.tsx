import type { CaseItem, Derivation } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { formatDuration, formatInstant, shortHash } from '../../lib/format';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { FileName } from '../common/FileName';
import { RecordedTime, Thumbnail } from '../library/ItemMarks';
import { evidenceKindLabel, tagName } from './evidenceLabels';
import { formatMediaTime } from './stationTime';

/** The case's evidence in recorded-time order: what each item is, where it came from, its tags and hash. */
export function CaseEvidenceList({
  items,
  canRemove,
  onRemove,
}: {
  items: CaseItem[];
  canRemove: boolean;
  onRemove(entry: CaseItem): void;
}) {
  const { t } = useI18n();
  const names = new Map(items.map((entry) => [entry.item.id, entry.item.originalName]));
  return (
    <section className="case-evidence" data-testid="case-evidence">
      <header className="case-section-head">
        <h2>{t('evidence.title')}</h2>
      </header>
      {items.length === 0 ? (
        <p className="muted evidence-empty" data-testid="evidence-empty">
          {t('evidence.empty')}
        </p>
      ) : (
        <ol className="evidence-list">
          {items.map((entry) => (
            <EvidenceRow
              key={entry.item.id}
              entry={entry}
              sourceName={entry.derivation ? names.get(entry.derivation.sourceItemId) : undefined}
              canRemove={canRemove}
              onRemove={() => onRemove(entry)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function EvidenceRow({
  entry,
  sourceName,
  canRemove,
  onRemove,
}: {
  entry: CaseItem;
  sourceName: string | undefined;
  canRemove: boolean;
  onRemove(): void;
}) {
  const { t, locale } = useI18n();
  const client = useClient();
  const { navigate } = useNavigation();
  const { item } = entry;
  return (
    <li className="evidence-row" data-testid="evidence-row" data-item-id={item.id}>
      <button
        type="button"
        className="evidence-thumb"
        onClick={() => navigate({ view: 'review', itemId: item.id })}
        aria-label={t('evidence.open')}
        title={t('evidence.open')}
      >
        <Thumbnail item={item} mediaUrl={client.mediaUrl(item.id, 'thumbnail')} />
      </button>
      <div className="evidence-main">
        <div className="evidence-title">
          <FileName name={item.originalName} className="evidence-name" />
          <span className="mark mark-info evidence-kind">{evidenceKindLabel(entry, t)}</span>
        </div>
        <div className="evidence-line muted dot-list">
          <RecordedTime item={item} size="short" />
          {item.durationSec ? <span className="mono">{formatDuration(item.durationSec)}</span> : null}
          <span className="evidence-hash">
            <span className="mono" title={item.sha256} data-testid="evidence-hash">
              {shortHash(item.sha256)}
            </span>
            <CopyButton text={item.sha256} label={t('evidence.copyHash')} testId="evidence-copy-hash" />
          </span>
        </div>
        {entry.derivation ? <DerivationLine derivation={entry.derivation} sourceName={sourceName} /> : null}
        <div className="evidence-tags" data-testid="evidence-tags">
          {entry.tags.length === 0 ? (
            <span className="muted small">{t('evidence.tagsNone')}</span>
          ) : (
            entry.tags.map((tag) => (
              <span
                key={tag.id}
                className="tag-chip"
                // The taxonomy's label on the chip; its code (for the catalogue and exports) on hover.
                title={tag.note ? `${tag.code} · ${tag.note}` : tag.code}
                data-testid="evidence-tag"
                data-code={tag.code}
              >
                <span>{tagName(tag, locale)}</span>
                {tag.fromSec !== null && tag.toSec !== null ? (
                  <span className="mono muted">
                    {t('timeline.range', { from: formatMediaTime(tag.fromSec), to: formatMediaTime(tag.toSec) })}
                  </span>
                ) : null}
              </span>
            ))
          )}
        </div>
        <div className="muted small">
          {t('evidence.added', { by: entry.addedBy, at: formatInstant(entry.addedAt) ?? '' })}
        </div>
      </div>
      <div className="evidence-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => navigate({ view: 'review', itemId: item.id })}
          data-testid="evidence-open"
        >
          {t('evidence.open')}
        </button>
        {canRemove ? (
          <button type="button" className="btn btn-small btn-danger" onClick={onRemove} data-testid="evidence-remove">
            {t('evidence.remove')}
          </button>
        ) : null}
      </div>
    </li>
  );
}

function DerivationLine({ derivation, sourceName }: { derivation: Derivation; sourceName: string | undefined }) {
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const what =
    derivation.kind === 'still'
      ? t('evidence.derivationStill', { at: formatMediaTime(derivation.fromSec) })
      : t('evidence.derivationClip', {
          mode: derivation.mode ? t(`evidence.mode.${derivation.mode}`) : '',
          from: formatMediaTime(derivation.fromSec),
          to: formatMediaTime(derivation.toSec),
        });
  return (
    <div className="evidence-derivation small" data-testid="evidence-derivation">
      <span>{what}</span>
      <button
        type="button"
        className="btn-link"
        onClick={() => navigate({ view: 'review', itemId: derivation.sourceItemId })}
        title={t('evidence.openSource')}
      >
        {sourceName ?? <span className="mono">{shortHash(derivation.sourceSha256)}</span>}
      </button>
    </div>
  );
}
