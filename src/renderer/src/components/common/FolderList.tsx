import type { ReactNode } from 'react';
import type { FolderEntry, FolderListing } from '../../hooks/useFolderListing';
import { ErrorBanner } from './ErrorBanner';
import { Icon, type IconName } from './Icon';

/** A place in the side list (home, a volume), marked while it is the folder shown. */
export function PlaceButton({
  folder,
  path,
  icon,
  children,
}: {
  folder: FolderListing;
  /** `undefined` is the home folder. */
  path: string | undefined;
  icon: IconName;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={folder.browsePath === path ? 'place active' : 'place'}
      onClick={() => folder.open(path)}
    >
      <Icon name={icon} />
      {children}
    </button>
  );
}

/** The bar above a listing: up one folder, the path shown, then the caller's action on it. */
export function FolderBar({
  folder,
  upLabel,
  pathTestId,
  children,
}: {
  folder: FolderListing;
  upLabel: string;
  pathTestId: string;
  children: ReactNode;
}) {
  const current = folder.listing.data;
  return (
    <div className="browser-bar">
      <button
        type="button"
        className="btn btn-small"
        disabled={!current?.parent}
        onClick={() => current?.parent && folder.open(current.parent)}
        aria-label={upLabel}
        title={upLabel}
      >
        <Icon name="up" size={14} />
      </button>
      <span className="mono ellipsis browser-path" title={current?.path} data-testid={pathTestId}>
        {current?.path ?? '…'}
      </span>
      {children}
    </div>
  );
}

/**
 * The entries of the folder shown, after any failure to list it. A folder's name opens it; a
 * file's name is plain text unless `pickFile` makes it a button. `before` and `after` draw the
 * caller's own cells (a tick box, a size) around the name.
 */
export function FolderEntryList({
  folder,
  show,
  emptyText,
  className,
  testId,
  pickFile,
  before,
  after,
}: {
  folder: FolderListing;
  show?(entry: FolderEntry): boolean;
  emptyText: string;
  className: string;
  testId?: string;
  pickFile?: { label(entry: FolderEntry): string; onPick(entry: FolderEntry): void };
  before?(entry: FolderEntry): ReactNode;
  after?(entry: FolderEntry): ReactNode;
}) {
  const current = folder.listing.data;
  const all = current?.entries ?? [];
  const entries = show ? all.filter(show) : all;
  return (
    <>
      <ErrorBanner error={folder.listing.error} />
      <ul className={className} data-testid={testId}>
        {current && entries.length === 0 ? <li className="muted pad">{emptyText}</li> : null}
        {entries.map((entry) => (
          <li key={entry.path} className="browser-entry">
            {before?.(entry)}
            {entry.isDir ? (
              <button type="button" className="entry-name entry-dir" onClick={() => folder.open(entry.path)}>
                <EntryLabel entry={entry} />
              </button>
            ) : pickFile ? (
              <button
                type="button"
                className="entry-name entry-dir"
                onClick={() => pickFile.onPick(entry)}
                aria-label={pickFile.label(entry)}
              >
                <EntryLabel entry={entry} />
              </button>
            ) : (
              <span className="entry-name">
                <EntryLabel entry={entry} />
              </span>
            )}
            {after?.(entry)}
          </li>
        ))}
      </ul>
    </>
  );
}

function EntryLabel({ entry }: { entry: FolderEntry }) {
  return (
    <>
      <Icon name={entry.isDir ? 'folder' : 'file'} size={14} />
      <span className="ellipsis">{entry.name}</span>
    </>
  );
}
