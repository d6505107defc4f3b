import { useCallback, useEffect, useMemo, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced';
import { useI18n, type MessageKey } from '../../i18n';
import { AccountsDialog } from '../accounts/AccountsDialog';
import { Icon } from '../common/Icon';
import { DetailPane } from '../detail/DetailPane';
import { isFileDrag, readDroppedPaths } from '../import/dropPaths';
import { ImportDialog, type ImportStep } from '../import/ImportDialog';
import type { DroppedSources } from '../import/SourcePicker';
import { UnwatchedImportNotice } from '../import/UnwatchedImportNotice';
import { FilterPanel } from '../library/FilterPanel';
import { EMPTY_FILTERS, toLibraryQuery, type LibraryFilters } from '../library/filters';
import { LibraryView } from '../library/LibraryView';
import { EMPTY_SELECTION, type LibrarySelection } from '../library/selection';
import { CaseView } from '../cases/CaseView';
import { CasesView } from '../cases/CasesView';
import { ReviewWorkspace } from '../review/ReviewWorkspace';
import { TaxonomyEditor } from '../taxonomy/TaxonomyEditor';
import { VerifyView } from '../seal/VerifyView';
import { SyncView } from '../sync/SyncView';
import { useRoute } from '../../station/route';
import { NavigationProvider } from '../../station/NavigationContext';
import { CustodyProblemBanner } from './CustodyProblemBanner';
import { MediaToolsStatusBar } from './MediaToolsStatusBar';
import { TopBar } from './TopBar';

const SEARCH_DEBOUNCE_MS = 300;
const NOTICE_MS = 6_000;

type Overlay = { kind: 'none' } | { kind: 'import'; step: ImportStep } | { kind: 'accounts' };

export function MainLayout() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<LibraryFilters>(EMPTY_FILTERS);
  const debouncedText = useDebounced(filters.text, SEARCH_DEBOUNCE_MS);
  const query = useMemo(() => toLibraryQuery({ ...filters, text: debouncedText }), [filters, debouncedText]);
  const [selection, setSelection] = useState<LibrarySelection>(EMPTY_SELECTION);
  const [overlay, setOverlay] = useState<Overlay>({ kind: 'none' });
  const [dropped, setDropped] = useState<DroppedSources | null>(null);
  const [dragging, setDragging] = useState(false);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [facetsKey, setFacetsKey] = useState(0);
  const [route, navigate] = useRoute();

  const openImport = useCallback(() => setOverlay({ kind: 'import', step: { kind: 'choose' } }), []);
  const closeOverlay = useCallback(() => setOverlay({ kind: 'none' }), []);
  const onLibraryChanged = useCallback(() => setFacetsKey((k) => k + 1), []);

  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => setNotice(null), NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [notice]);

  // Files dragged onto the window become import sources; only the desktop app can see their paths.
  useEffect(() => {
    const onDragOver = (event: DragEvent) => {
      if (!isFileDrag(event)) return;
      event.preventDefault();
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!event.dataTransfer || !isFileDrag(event)) return;
      event.preventDefault();
      setDragging(false);
      const paths = readDroppedPaths(event.dataTransfer);
      if (paths === null) return setNotice('import.dropNeedsDesktop');
      if (paths.length === 0) return setNotice('import.dropNoPath');
      setDropped({ paths, nonce: Date.now() });
      setOverlay((current) =>
        current.kind === 'import' && current.step.kind === 'choose'
          ? current
          : { kind: 'import', step: { kind: 'choose' } },
      );
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  return (
    <NavigationProvider route={route} navigate={navigate}>
      <div className="main-layout">
        <TopBar onImport={openImport} onAccounts={() => setOverlay({ kind: 'accounts' })} />
        <CustodyProblemBanner />
        <UnwatchedImportNotice
          onResume={(importId) => setOverlay({ kind: 'import', step: { kind: 'running', importId } })}
          onOpenRecord={(importId) => setOverlay({ kind: 'import', step: { kind: 'record', importId } })}
        />
        {route.view === 'library' ? (
          <div className="workspace">
            <FilterPanel filters={filters} onChange={setFilters} facetsKey={facetsKey} />
            <LibraryView
              filters={filters}
              query={query}
              onFiltersChange={setFilters}
              selection={selection}
              onSelectionChange={setSelection}
              onImport={openImport}
              onLibraryChanged={onLibraryChanged}
            />
            <DetailPane
              itemId={selection.focusId}
              onOpenImport={(importId) => setOverlay({ kind: 'import', step: { kind: 'record', importId } })}
            />
          </div>
        ) : route.view === 'review' ? (
          <ReviewWorkspace key={route.itemId} itemId={route.itemId} atSec={route.atSec} />
        ) : route.view === 'cases' ? (
          <CasesView />
        ) : route.view === 'case' ? (
          <CaseView key={route.caseRef} caseRef={route.caseRef} />
        ) : route.view === 'verify' ? (
          <VerifyView />
        ) : route.view === 'sync' ? (
          <SyncView />
        ) : (
          <TaxonomyEditor />
        )}
        <MediaToolsStatusBar />
        {overlay.kind === 'import' ? (
          <ImportDialog
            initialStep={overlay.step}
            dropped={dropped}
            onClose={closeOverlay}
            onSelectItem={(itemId) => {
              setSelection({ ids: [itemId], focusId: itemId, focusIndex: null, anchorIndex: null });
              navigate({ view: 'library' });
              closeOverlay();
            }}
          />
        ) : null}
        {overlay.kind === 'accounts' ? <AccountsDialog onClose={closeOverlay} /> : null}
        {dragging ? (
          <div className="drop-overlay" aria-hidden="true">
            <Icon name="import" size={40} />
            <p>{t('import.drop')}</p>
          </div>
        ) : null}
        {notice ? (
          <div className="toast" role="status" data-testid="notice">
            <Icon name="warning" />
            <span>{t(notice)}</span>
            <button type="button" className="btn-icon" onClick={() => setNotice(null)} aria-label={t('common.close')}>
              <Icon name="close" size={12} />
            </button>
          </div>
        ) : null}
      </div>
    </NavigationProvider>
  );
}
