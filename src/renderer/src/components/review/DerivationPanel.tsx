import type { Derivation } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { formatInstant, shortHash } from '../../lib/format';
import { Section } from '../detail/Fields';
import { Field } from '../detail/Fields';
import { ReviewIcon } from './ReviewIcon';
import { formatMediaTime } from './timecode';

/** How this clip or still was made (source, range, mode, tool), and what was made from this item. */
export function DerivationPanel({
  derivation,
  derivatives,
  onOpen,
}: {
  derivation: Derivation | null;
  derivatives: readonly Derivation[];
  onOpen(itemId: string, atSec?: number): void;
}) {
  const { t } = useI18n();
  return (
    <>
      {derivation ? (
        <Section
          title={t(derivation.kind === 'still' ? 'review.derivation.stillTitle' : 'review.derivation.clipTitle')}
          testId="derivation"
        >
          <dl className="fields">
            <Field label={t('review.derivation.source')}>
              <button
                type="button"
                className="btn-link mono"
                onClick={() => onOpen(derivation.sourceItemId, derivation.fromSec)}
                title={derivation.sourceSha256}
                data-testid="derivation-source"
              >
                {shortHash(derivation.sourceSha256)}…
              </button>
            </Field>
            <Field label={t('review.derivation.range')}>
              <span className="mono" data-testid="derivation-range">
                {derivation.kind === 'still'
                  ? formatMediaTime(derivation.fromSec)
                  : `${formatMediaTime(derivation.fromSec)} – ${formatMediaTime(derivation.toSec)}`}
              </span>
            </Field>
            {derivation.requestedFromSec !== null ? (
              <Field label={t('review.derivation.requested')}>
                <span className="mono">
                  {derivation.requestedToSec !== null
                    ? `${formatMediaTime(derivation.requestedFromSec)} – ${formatMediaTime(derivation.requestedToSec)}`
                    : formatMediaTime(derivation.requestedFromSec)}
                </span>
              </Field>
            ) : null}
            <Field label={t('review.derivation.frames')}>{derivation.frameCount}</Field>
            {derivation.mode ? (
              <Field label={t('review.derivation.mode')}>
                {t(derivation.mode === 'exact' ? 'review.clip.exact' : 'review.clip.lossless')}
              </Field>
            ) : null}
            <Field label={t('review.derivation.tool')}>{describeTool(derivation.provenance)}</Field>
            <Field label={t('review.derivation.madeBy')}>
              {t('review.derivation.madeByValue', {
                by: derivation.createdBy,
                at: formatInstant(derivation.createdAt) ?? '',
              })}
            </Field>
          </dl>
          <details className="provenance">
            <summary className="muted small">{t('review.derivation.provenance')}</summary>
            <pre className="mono small provenance-json">{JSON.stringify(derivation.provenance, null, 2)}</pre>
          </details>
        </Section>
      ) : null}
      <Section title={t('review.derivatives.title', { count: derivatives.length })} testId="derivatives">
        {derivatives.length === 0 ? <p className="muted small">{t('review.derivatives.none')}</p> : null}
        <ul className="derivative-list">
          {derivatives.map((made) => (
            <li key={made.itemId} className="derivative-row" data-testid="derivative-row" data-kind={made.kind}>
              <span className={made.kind === 'still' ? 'mark mark-info' : 'mark mark-ok'}>
                {t(made.kind === 'still' ? 'review.derivatives.still' : 'review.derivatives.clip')}
              </span>
              <span className="mono small">
                {made.kind === 'still'
                  ? formatMediaTime(made.fromSec)
                  : `${formatMediaTime(made.fromSec)} – ${formatMediaTime(made.toSec)}`}
              </span>
              {made.mode ? (
                <span className="muted small">
                  {t(made.mode === 'exact' ? 'review.clip.exact' : 'review.clip.lossless')}
                </span>
              ) : null}
              <span className="spacer" />
              <button
                type="button"
                className="btn btn-small"
                onClick={() => onOpen(made.itemId)}
                data-testid="derivative-open"
              >
                <ReviewIcon name="open" size={12} />
                {t('review.made.open')}
              </button>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}

/** `ffmpeg 4.1` from the provenance record, whichever of the usual fields it uses. */
function describeTool(provenance: Record<string, unknown>): string | null {
  const tool = provenance.tool;
  if (typeof tool === 'string') {
    const version = provenance.toolVersion ?? provenance.version ?? provenance.ffmpegVersion;
    return typeof version === 'string' ? `${tool} ${version}` : tool;
  }
  if (tool && typeof tool === 'object') {
    const record = tool as Record<string, unknown>;
    const name = typeof record.name === 'string' ? record.name : 'ffmpeg';
    return typeof record.version === 'string' ? `${name} ${record.version}` : name;
  }
  const ffmpeg = provenance.ffmpegVersion ?? provenance.ffmpeg;
  return typeof ffmpeg === 'string' ? `ffmpeg ${ffmpeg}` : null;
}
