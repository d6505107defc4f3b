import { useState, type FormEvent } from 'react';
import { BATCH_MAX_ITEMS, type BatchResult, type CaseOffers } from '../../../../shared/batchSchemas';
import type { CaseDetail } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant, shortHash } from '../../lib/format';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { BatchOutcomes } from '../library/BatchOutcomes';

const SEARCH_DEBOUNCE_MS = 250;
const DRAFT_LIMIT = 50;

type Target = 'existing' | 'new';

/**
 * Puts items into a draft case: one picked from the list (search by number or title) or a new
 * one made here with just a title and place (the rest can be filled in on the case page).
 * Used by the library's detail pane and batch bar, and by the review workspace. When there is
 * exactly one draft case it is preselected. A recording's clips and stills are offered beside it,
 * unticked: everything in a case goes before the court, so each goes in only when chosen; a clip
 * cut from a tagged range offers that tag. One batch call adds them all (one custody entry per
 * item) and each item's outcome is shown.
 */
export function AddToCaseDialog({ itemIds, onClose }: { itemIds: string[]; onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [target, setTarget] = useState<Target>('existing');
  const [text, setText] = useState('');
  const [pickedId, setPickedId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [place, setPlace] = useState('');
  const [result, setResult] = useState<{ detail: CaseDetail; batch: BatchResult; tagged: number } | null>(null);
  const [derivedPicked, setDerivedPicked] = useState<ReadonlySet<string>>(new Set());
  const [tagsPicked, setTagsPicked] = useState<ReadonlySet<string>>(new Set());
  // A case made here whose items then failed to go in is reused on retry, never made twice.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const query = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const drafts = useLoad(
    target === 'existing'
      ? () => client.call('cases.list', { text: query || undefined, state: 'draft', offset: 0, limit: DRAFT_LIMIT })
      : null,
    `drafts:${query}`,
  );

  const offerIds = itemIds.slice(0, BATCH_MAX_ITEMS);
  const [onlyDraftId, setOnlyDraftId] = useState<string | null>(null);
  // Until someone picks a case, the only draft case (when there is exactly one) is the pick.
  const chosenId = pickedId ?? onlyDraftId;
  const offers = useLoad(
    () => client.call('cases.addOffers', { itemIds: offerIds, ...(chosenId ? { caseId: chosenId } : {}) }),
    `offers:${offerIds.join(',')}:${chosenId ?? ''}`,
  );
  const answeredOnlyDraft = offers.data?.onlyDraftId ?? null;
  if (answeredOnlyDraft !== onlyDraftId && answeredOnlyDraft !== null) setOnlyDraftId(answeredOnlyDraft);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(async () => {
      let caseId = target === 'existing' ? chosenId : createdId;
      if (target === 'new' && caseId === null) {
        caseId = (await client.call('cases.create', { title: title.trim(), place: place.trim() })).id;
        setCreatedId(caseId);
      }
      if (caseId === null) return undefined;
      const extra = [...derivedPicked].filter((id) => !itemIds.includes(id));
      const tagFromSource = [...tagsPicked].flatMap((key) => {
        const [itemId, tagId] = key.split('/');
        return itemId && tagId && (derivedPicked.has(itemId) || itemIds.includes(itemId)) ? [{ itemId, tagId }] : [];
      });
      const batch = await client.call('batch.addToCase', { caseId, itemIds: [...itemIds, ...extra], tagFromSource });
      const detail = await client.call('cases.get', { ref: caseId });
      return { detail, batch, tagged: batch.tagged.length };
    });
    if (done) setResult(done);
  };

  const heading = itemIds.length === 1 ? t('addToCase.title') : t('addToCase.titleMany', { count: itemIds.length });
  if (result) return <AddedSummary {...result} title={heading} onClose={onClose} />;

  const cases = drafts.data?.cases;
  const canSubmit = target === 'existing' ? chosenId !== null : title.trim() !== '';
  return (
    <Dialog title={heading} onClose={onClose} testId="add-to-case-dialog" closable={!action.busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <div className="segmented add-target" role="group">
          {(['existing', 'new'] as const).map((option) => (
            <button
              key={option}
              type="button"
              className={target === option ? 'active' : ''}
              aria-pressed={target === option}
              onClick={() => setTarget(option)}
              data-testid={`add-target-${option}`}
            >
              {t(option === 'existing' ? 'addToCase.existing' : 'addToCase.new')}
            </button>
          ))}
        </div>
        {target === 'existing' ? (
          <>
            <div className="input-with-icon">
              <Icon name="search" size={14} />
              <input
                type="search"
                value={text}
                onChange={(e) => setText(e.target.value)}
                aria-label={t('addToCase.search')}
                placeholder={t('addToCase.searchPlaceholder')}
                autoFocus
                data-testid="add-case-search"
              />
            </div>
            <ErrorBanner error={drafts.error} />
            <div className="case-pick-list" role="radiogroup" aria-label={t('addToCase.search')}>
              {cases === undefined ? (
                <p className="muted small pad">{t('common.loading')}</p>
              ) : cases.length === 0 ? (
                <p className="muted small pad" data-testid="add-case-none">
                  {t('addToCase.noDrafts')}
                </p>
              ) : (
                cases.map((c) => (
                  <label
                    key={c.id}
                    className={chosenId === c.id ? 'case-pick picked' : 'case-pick'}
                    data-testid="add-case-option"
                    data-case-id={c.id}
                  >
                    <input type="radio" name="case" checked={chosenId === c.id} onChange={() => setPickedId(c.id)} />
                    <span className="mono case-pick-number">{c.number}</span>
                    <span className="ellipsis case-pick-title">{c.title}</span>
                    <span className="muted small nowrap">
                      {c.itemCount === 1 ? t('case.itemsOne') : t('case.items', { count: c.itemCount })}
                    </span>
                  </label>
                ))
              )}
            </div>
            {pickedId === null && chosenId !== null ? (
              <p className="muted small" data-testid="add-case-only-draft">
                {t('addToCase.onlyDraft')}
              </p>
            ) : null}
            <p className="muted small">{t('addToCase.more')}</p>
          </>
        ) : (
          <>
            <TextField
              label={t('caseForm.title')}
              value={title}
              onValueChange={setTitle}
              placeholder={t('caseForm.titlePlaceholder')}
              maxLength={200}
              required
              autoFocus
              testId="add-case-title"
            />
            <TextField
              label={t('caseForm.place')}
              value={place}
              onValueChange={setPlace}
              placeholder={t('caseForm.placePlaceholder')}
              maxLength={500}
              testId="add-case-place"
            />
            <p className="muted small">{t('caseForm.numberNote')}</p>
          </>
        )}
        {offers.data ? (
          <DerivedOffers
            offers={offers.data}
            picked={derivedPicked}
            onPickedChange={setDerivedPicked}
            tags={tagsPicked}
            onTagsChange={setTagsPicked}
          />
        ) : null}
        <ConfirmActions
          action={action}
          onCancel={onClose}
          label={t(target === 'existing' ? 'addToCase.submit' : 'addToCase.createAndAdd')}
          testId="add-case-submit"
          ready={canSubmit}
        />
      </form>
    </Dialog>
  );
}

/** A recording's clips and stills, each with a box, and under a clip the tag of the range it was cut from. */
function DerivedOffers({
  offers,
  picked,
  onPickedChange,
  tags,
  onTagsChange,
}: {
  offers: CaseOffers;
  picked: ReadonlySet<string>;
  onPickedChange(next: ReadonlySet<string>): void;
  /** `itemId/tagId` pairs. */
  tags: ReadonlySet<string>;
  onTagsChange(next: ReadonlySet<string>): void;
}) {
  const { t, locale } = useI18n();
  const flip = (set: ReadonlySet<string>, key: string): Set<string> => {
    const next = new Set(set);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    return next;
  };
  const offered = offers.offers.flatMap((o) => o.derived);
  if (offered.length === 0) return null;
  const seconds = (value: number) => value.toFixed(2);
  return (
    <fieldset className="derived-offers" data-testid="add-case-derived">
      <legend>{t('addToCase.derivedTitle')}</legend>
      <p className="muted small">{t('addToCase.derivedHint')}</p>
      {offered.map(({ item, derivation, inCase, sourceTags }) => (
        <div key={item.id} className="derived-offer">
          <label className="check" data-testid="add-case-derived-option" data-item-id={item.id}>
            <input
              type="checkbox"
              checked={picked.has(item.id)}
              disabled={inCase}
              onChange={() => onPickedChange(flip(picked, item.id))}
            />
            <span className={`origin-badge origin-${item.origin}`}>{t(`origin.${item.origin}`)}</span>
            <span className="ellipsis">{item.originalName}</span>
            <span className="muted small nowrap">
              {derivation.kind === 'clip'
                ? t('addToCase.derivedClip', { from: seconds(derivation.fromSec), to: seconds(derivation.toSec) })
                : t('addToCase.derivedStill', { at: seconds(derivation.fromSec) })}
            </span>
            {inCase ? <span className="muted small">{t('addToCase.derivedInCase')}</span> : null}
          </label>
          {sourceTags.map((tag) => {
            const key = `${item.id}/${tag.id}`;
            return (
              <label key={key} className="check derived-tag" data-testid="add-case-carry-tag" data-tag-id={tag.id}>
                <input
                  type="checkbox"
                  checked={tags.has(key)}
                  disabled={!picked.has(item.id) && !inCase}
                  onChange={() => onTagsChange(flip(tags, key))}
                />
                <span>{t('addToCase.carryTag', { type: locale === 'zh-CN' ? tag.nameZh : tag.nameEn })}</span>
              </label>
            );
          })}
        </div>
      ))}
    </fieldset>
  );
}

/** What the batch did to each item, as the case now lists it, with a way to the case. */
function AddedSummary({
  detail,
  batch,
  tagged,
  title,
  onClose,
}: {
  detail: CaseDetail;
  batch: BatchResult;
  tagged: number;
  title: string;
  onClose(): void;
}) {
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const doneIds = new Set(batch.results.filter((r) => r.outcome === 'done').map((r) => r.itemId));
  const added = detail.items.filter((entry) => doneIds.has(entry.item.id));
  return (
    <Dialog title={title} onClose={onClose} testId="add-to-case-dialog">
      <div className="banner banner-ok" role="status" data-testid="add-case-done">
        <Icon name="check" />
        <span>{t('addToCase.added', { number: detail.number })}</span>
      </div>
      <p className="added-case-title">{detail.title}</p>
      <ul className="added-list" data-testid="add-case-added">
        {added.map((entry) => (
          <li key={entry.item.id}>
            <span className="ellipsis">{entry.item.originalName}</span>
            <span className="mono muted">{shortHash(entry.item.sha256)}</span>
            <span className="mono muted small">{formatInstant(entry.addedAt)}</span>
          </li>
        ))}
      </ul>
      {batch.done < batch.results.length ? <BatchOutcomes result={batch} /> : null}
      {tagged > 0 ? <p className="muted small">{t('addToCase.tagged', { count: tagged })}</p> : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => {
            onClose();
            navigate({ view: 'case', caseRef: detail.id });
          }}
          data-testid="add-case-open"
        >
          {t('addToCase.openCase')}
        </button>
      </div>
    </Dialog>
  );
}
