import { useState } from 'react';
import type { AppError } from '../../../../shared/errors';
import type { Tag, Taxonomy } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Section } from '../detail/Fields';
import { ReviewIcon } from './ReviewIcon';
import { hueOf, nameIn, type InOut } from './reviewTypes';
import { TagForm, type TagDraft } from './TagForm';
import { formatMediaTime } from './timecode';
import { useShortcutText } from './useShortcutText';

/** The tag changed most recently (removed ones included): what Ctrl+Z undoes. */
export function latestChangedTag(tags: readonly Tag[]): Tag | null {
  let latest: Tag | null = null;
  for (const tag of tags) if (!latest || Date.parse(tag.updatedAt) > Date.parse(latest.updatedAt)) latest = tag;
  return latest;
}

/**
 * Violation tags of this item: on a time range (from the in/out points) or on the whole item.
 * Every change is a new revision on the record and can be undone; removed tags stay listed so a
 * removal can be undone too.
 */
export function TagsPanel({
  itemId,
  tags,
  taxonomy,
  range,
  onSeek,
  onChanged,
  undo,
  undoError,
  onDismissUndoError,
}: {
  itemId: string;
  tags: readonly Tag[];
  taxonomy: Taxonomy | undefined;
  range: InOut;
  onSeek(sec: number): void;
  onChanged(): void;
  /** Undoes the latest change of one tag (shared with Ctrl+Z so both report errors the same way). */
  undo(tag: Tag): void;
  undoError: AppError | null;
  onDismissUndoError(): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const keys = useShortcutText();
  const action = useAction();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const active = tags.filter((tag) => !tag.removed);
  const removed = tags.filter((tag) => tag.removed);
  const latest = latestChangedTag(tags);

  const add = async (draft: TagDraft) => {
    const done = await action.run(() => client.call('tags.add', { itemId, ...draft }));
    if (done) {
      setAdding(false);
      onChanged();
    }
  };
  const update = async (tag: Tag, draft: TagDraft) => {
    const { code, ...rest } = draft;
    // The code goes only when changed: a tag keeps its type even after that type is retired.
    const input = code === tag.code ? { id: tag.id, ...rest } : { id: tag.id, code, ...rest };
    const done = await action.run(() => client.call('tags.update', input));
    if (done) {
      setEditing(null);
      onChanged();
    }
  };
  const remove = async (tag: Tag) => {
    if (await action.run(() => client.call('tags.remove', { id: tag.id }))) onChanged();
  };

  return (
    <Section title={t('review.tags.title', { count: active.length })} testId="tags-panel">
      <ErrorBanner error={action.error} onDismiss={action.clearError} />
      <ErrorBanner error={undoError} onDismiss={onDismissUndoError} />
      <div className="panel-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setAdding(true)}
          disabled={adding || !taxonomy}
          data-testid="tag-add-open"
        >
          <ReviewIcon name="tag" size={14} />
          {t('review.tags.add')}
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small btn-ghost"
          onClick={() => latest && undo(latest)}
          disabled={!latest}
          title={keys.title('undoTag')}
          data-testid="tag-undo-latest"
        >
          <ReviewIcon name="undo" size={14} />
          {t('review.tags.undoLatest')}
        </button>
      </div>
      {adding && taxonomy ? (
        <TagForm
          taxonomy={taxonomy}
          range={range}
          busy={action.busy}
          submitLabel={t('review.tags.addSubmit')}
          onSubmit={(draft) => void add(draft)}
          onCancel={() => setAdding(false)}
        />
      ) : null}
      {active.length === 0 && !adding ? <p className="muted small">{t('review.tags.none')}</p> : null}
      <ul className="tag-list" data-testid="tag-list">
        {active.map((tag) =>
          editing === tag.id && taxonomy ? (
            <li key={tag.id} className="tag-row">
              <TagForm
                taxonomy={taxonomy}
                range={range}
                initial={tag}
                busy={action.busy}
                submitLabel={t('review.tags.save')}
                onSubmit={(draft) => void update(tag, draft)}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <TagRow
              key={tag.id}
              tag={tag}
              onSeek={onSeek}
              onEdit={() => setEditing(tag.id)}
              onRemove={() => void remove(tag)}
              onUndo={() => undo(tag)}
            />
          ),
        )}
      </ul>
      {removed.length > 0 ? (
        <details className="tag-removed" data-testid="tags-removed">
          <summary className="muted small">{t('review.tags.removed', { count: removed.length })}</summary>
          <ul className="tag-list">
            {removed.map((tag) => (
              <TagRow key={tag.id} tag={tag} onSeek={onSeek} onUndo={() => undo(tag)} />
            ))}
          </ul>
        </details>
      ) : null}
    </Section>
  );
}

function TagRow({
  tag,
  onSeek,
  onEdit,
  onRemove,
  onUndo,
}: {
  tag: Tag;
  onSeek(sec: number): void;
  onEdit?(): void;
  onRemove?(): void;
  onUndo(): void;
}) {
  const { t, locale } = useI18n();
  const ranged = tag.fromSec !== null && tag.toSec !== null;
  return (
    <li
      className={tag.removed ? 'tag-row removed' : 'tag-row'}
      data-testid="tag-row"
      data-tag-id={tag.id}
      data-code={tag.code}
      data-revision={tag.revision}
    >
      <div className="tag-row-head">
        <span className="tag-swatch" style={{ backgroundColor: `hsl(${hueOf(tag.code)} 55% 50%)` }} />
        <strong className="tag-name" data-testid="tag-name" title={tag.code}>
          {nameIn(locale, tag)}
        </strong>
        <span className="spacer" />
        {onEdit ? (
          <button
            type="button"
            className="btn-icon"
            onClick={onEdit}
            aria-label={t('review.tags.edit')}
            title={t('review.tags.edit')}
            data-testid="tag-edit"
          >
            <ReviewIcon name="edit" size={14} />
          </button>
        ) : null}
        <button
          type="button"
          className="btn-icon"
          onClick={onUndo}
          aria-label={t('review.tags.undo')}
          title={t('review.tags.undo')}
          data-testid="tag-undo"
        >
          <ReviewIcon name="undo" size={14} />
        </button>
        {onRemove ? (
          <button
            type="button"
            className="btn-icon"
            onClick={onRemove}
            aria-label={t('common.remove')}
            title={t('common.remove')}
            data-testid="tag-remove"
          >
            <Icon name="close" size={14} />
          </button>
        ) : null}
      </div>
      <div className="small">
        {ranged ? (
          <button
            type="button"
            className="btn-link mono"
            onClick={() => onSeek(tag.fromSec!)}
            title={t('review.tags.seekHint')}
            data-testid="tag-range"
          >
            {formatMediaTime(tag.fromSec!)} – {formatMediaTime(tag.toSec!)}
          </button>
        ) : (
          <span className="muted" data-testid="tag-range">
            {t('review.tags.wholeItem')}
          </span>
        )}
      </div>
      {tag.note ? (
        <p className="tag-note small" data-testid="tag-note">
          {tag.note}
        </p>
      ) : null}
      <div className="muted small">
        {tag.revision > 1
          ? t('review.tags.changedBy', {
              by: tag.updatedBy,
              at: formatInstant(tag.updatedAt) ?? '',
              revision: tag.revision,
            })
          : t('review.tags.addedBy', { by: tag.createdBy, at: formatInstant(tag.createdAt) ?? '' })}
        {tag.taxonomyVersion ? (
          <span title={t('review.tags.versionHint')}>
            {' '}
            · {t('review.tags.version', { version: tag.taxonomyVersion })}
          </span>
        ) : null}
      </div>
    </li>
  );
}
