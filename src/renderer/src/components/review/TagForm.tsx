import { useId, useState, type FormEvent } from 'react';
import type { Tag, Taxonomy } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { FormField } from '../common/FormField';
import { Select } from '../common/Select';
import { hasRange, nameIn, type InOut } from './reviewTypes';
import { formatMediaTime } from './timecode';

export interface TagDraft {
  code: string;
  fromSec: number | null;
  toSec: number | null;
  note: string;
}

type Scope = 'keep' | 'range' | 'item';

/**
 * Adding or editing a tag: its violation type (retired types are not offered, except the one an
 * existing tag already has), what it covers (the in/out range, or the whole item), and a note.
 */
export function TagForm({
  taxonomy,
  range,
  initial,
  busy,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  taxonomy: Taxonomy;
  range: InOut;
  initial?: Tag;
  busy: boolean;
  submitLabel: string;
  onSubmit(draft: TagDraft): void;
  onCancel(): void;
}) {
  const { t, locale } = useI18n();
  const scopeGroup = useId();
  const offered = taxonomy.types.filter((type) => !type.retired || type.code === initial?.code);
  const codes = offered.map((type) => type.code);
  const [code, setCode] = useState(initial?.code ?? codes[0] ?? '');
  const [note, setNote] = useState(initial?.note ?? '');
  const canRange = hasRange(range);
  const initialScope: Scope = initial ? 'keep' : canRange ? 'range' : 'item';
  const [scope, setScope] = useState<Scope>(initialScope);
  const scopes: Scope[] = initial ? ['keep', 'range', 'item'] : ['range', 'item'];
  const chosen = offered.find((type) => type.code === code);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!code) return;
    const span =
      scope === 'range' && hasRange(range)
        ? { fromSec: range.inSec, toSec: range.outSec }
        : scope === 'keep' && initial
          ? { fromSec: initial.fromSec, toSec: initial.toSec }
          : { fromSec: null, toSec: null };
    onSubmit({ code, note: note.trim(), ...span });
  };

  const scopeLabel = (option: Scope): string => {
    if (option === 'item') return t('review.tags.scopeItem');
    if (option === 'range')
      return canRange
        ? t('review.tags.scopeRange', { from: formatMediaTime(range.inSec!), to: formatMediaTime(range.outSec!) })
        : t('review.tags.scopeRangeUnset');
    return initial && initial.fromSec !== null && initial.toSec !== null
      ? t('review.tags.scopeKeep', { from: formatMediaTime(initial.fromSec), to: formatMediaTime(initial.toSec) })
      : t('review.tags.scopeKeepItem');
  };

  return (
    <form className="form tag-form" onSubmit={submit} data-testid="tag-form">
      <FormField label={t('review.tags.type')}>
        <Select
          options={codes}
          value={code}
          onValueChange={setCode}
          labelOf={(option) => {
            const type = offered.find((candidate) => candidate.code === option);
            return type ? `${nameIn(locale, type)} · ${type.code}` : option;
          }}
          testId="tag-type"
        />
      </FormField>
      {chosen?.legalBasis ? <p className="muted small tag-basis">{chosen.legalBasis}</p> : null}
      <fieldset className="tag-scope">
        <legend className="muted small">{t('review.tags.scope')}</legend>
        {scopes.map((option) => (
          <label key={option} className="checkbox small">
            <input
              type="radio"
              name={scopeGroup}
              checked={scope === option}
              disabled={option === 'range' && !canRange}
              onChange={() => setScope(option)}
              data-testid={`tag-scope-${option}`}
            />
            <span className={option === 'keep' || option === 'range' ? 'mono' : undefined}>{scopeLabel(option)}</span>
          </label>
        ))}
      </fieldset>
      <FormField label={t('review.tags.note')}>
        <textarea
          rows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={4000}
          data-testid="tag-note-input"
        />
      </FormField>
      <div className="form-actions">
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={busy || !code} data-testid="tag-submit">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
