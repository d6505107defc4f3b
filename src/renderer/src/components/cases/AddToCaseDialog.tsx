import { useState, type FormEvent } from 'react';
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

const SEARCH_DEBOUNCE_MS = 250;
const DRAFT_LIMIT = 50;

type Target = 'existing' | 'new';

/**
 * Puts items into a draft case: one picked from the list (search by number or title) or a new
 * one made here with just a title and place (the rest can be filled in on the case page).
 * Used by the library's detail pane and by the review workspace.
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
  const [result, setResult] = useState<CaseDetail | null>(null);
  // A case made here whose items then failed to go in is reused on retry, never made twice.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const query = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const drafts = useLoad(
    target === 'existing'
      ? () => client.call('cases.list', { text: query || undefined, state: 'draft', offset: 0, limit: DRAFT_LIMIT })
      : null,
    `drafts:${query}`,
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const detail = await action.run(async () => {
      let caseId = target === 'existing' ? pickedId : createdId;
      if (target === 'new' && caseId === null) {
        caseId = (await client.call('cases.create', { title: title.trim(), place: place.trim() })).id;
        setCreatedId(caseId);
      }
      if (caseId === null) return undefined;
      return client.call('cases.addItems', { caseId, itemIds });
    });
    if (detail) setResult(detail);
  };

  const heading = itemIds.length === 1 ? t('addToCase.title') : t('addToCase.titleMany', { count: itemIds.length });
  if (result) return <AddedSummary detail={result} itemIds={itemIds} title={heading} onClose={onClose} />;

  const cases = drafts.data?.cases;
  const canSubmit = target === 'existing' ? pickedId !== null : title.trim() !== '';
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
                    className={pickedId === c.id ? 'case-pick picked' : 'case-pick'}
                    data-testid="add-case-option"
                    data-case-id={c.id}
                  >
                    <input type="radio" name="case" checked={pickedId === c.id} onChange={() => setPickedId(c.id)} />
                    <span className="mono case-pick-number">{c.number}</span>
                    <span className="ellipsis case-pick-title">{c.title}</span>
                    <span className="muted small nowrap">
                      {c.itemCount === 1 ? t('case.itemsOne') : t('case.items', { count: c.itemCount })}
                    </span>
                  </label>
                ))
              )}
            </div>
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

/** What went in, as the case now lists it, with a way to the case. */
function AddedSummary({
  detail,
  itemIds,
  title,
  onClose,
}: {
  detail: CaseDetail;
  itemIds: string[];
  title: string;
  onClose(): void;
}) {
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const added = detail.items.filter((entry) => itemIds.includes(entry.item.id));
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
