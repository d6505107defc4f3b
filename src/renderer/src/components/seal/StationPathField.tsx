import { useState } from 'react';
import { useI18n } from '../../i18n';
import { isAbsolutePath } from '../../lib/format';
import { ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { FolderBrowser } from './FolderBrowser';

export interface StationPath {
  value: string;
  browsing: boolean;
  /** The last `take` found the path not absolute; typing clears it. */
  problem: boolean;
  edit(next: string): void;
  pick(next: string): void;
  toggleBrowsing(): void;
  /**
   * The trimmed path, when it is absolute, closing the folder browser; else null, and the field
   * says why. The station resolves no relative path: it would depend on its working folder.
   */
  take(): string | null;
}

/** A path on the station typed or picked in `StationPathField`, with what the field shows. */
export function useStationPath(initial: string | (() => string) = ''): StationPath {
  const [value, setValue] = useState(initial);
  const [browsing, setBrowsing] = useState(false);
  const [problem, setProblem] = useState(false);
  return {
    value,
    browsing,
    problem,
    edit(next) {
      setValue(next);
      setProblem(false);
    },
    pick(next) {
      setValue(next);
      setBrowsing(false);
    },
    toggleBrowsing() {
      setBrowsing((open) => !open);
    },
    take() {
      const trimmed = value.trim();
      if (!isAbsolutePath(trimmed)) {
        setProblem(true);
        return null;
      }
      setProblem(false);
      setBrowsing(false);
      return trimmed;
    },
  };
}

/**
 * A path on the station (where an export goes, which package to verify): typed, or picked with
 * the folder browser that Browse opens at the typed folder.
 */
export function StationPathField({
  path,
  rowClassName,
  label,
  hint,
  placeholder,
  testId,
  browseTestId,
  disabled,
  autoFocus,
  zips,
  onPicked,
}: {
  path: StationPath;
  rowClassName: string;
  label: string;
  hint?: string;
  placeholder: string;
  testId: string;
  browseTestId: string;
  disabled?: boolean;
  autoFocus?: boolean;
  /** Offer `.zip` files as well as folders. */
  zips?: boolean;
  /** After a folder was picked (the caller may move focus on). */
  onPicked?(): void;
}) {
  const { t } = useI18n();
  const typed = path.value.trim();
  return (
    <>
      <div className={rowClassName}>
        <TextField
          label={label}
          hint={hint}
          fieldClassName="grow"
          className="mono"
          value={path.value}
          onValueChange={path.edit}
          placeholder={placeholder}
          spellCheck={false}
          required
          disabled={disabled}
          autoFocus={autoFocus}
          testId={testId}
        />
        <button
          type="button"
          className="btn"
          onClick={path.toggleBrowsing}
          disabled={disabled}
          aria-expanded={path.browsing}
          data-testid={browseTestId}
        >
          <Icon name="folder" size={14} />
          {t(path.browsing ? 'export.hideBrowse' : 'export.browse')}
        </button>
      </div>
      {path.problem ? <ProblemBanner>{t('export.targetNotAbsolute')}</ProblemBanner> : null}
      {path.browsing ? (
        <FolderBrowser
          zips={zips}
          start={isAbsolutePath(typed) ? typed : undefined}
          onPick={(picked) => {
            path.pick(picked);
            onPicked?.();
          }}
        />
      ) : null}
    </>
  );
}
