import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { Icon } from './Icon';

interface DialogProps {
  title: ReactNode;
  onClose(): void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  /** While false, Escape and the close button do nothing (e.g. an import that is still running). */
  closable?: boolean;
}

export function Dialog({ title, onClose, children, wide, testId, closable = true }: DialogProps) {
  const { t } = useI18n();
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const active = document.activeElement as HTMLElement | null;
    // A field with autoFocus inside was focused first (React focuses it before effects run): keep it.
    const focusedInside = ref.current?.contains(active) ?? false;
    if (!focusedInside) ref.current?.focus();
    const previous = focusedInside ? null : active;
    return () => previous?.focus?.();
  }, []);

  useEffect(() => {
    if (!closable) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closable, onClose]);

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={wide ? 'dialog dialog-wide' : 'dialog'}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          {closable ? (
            <button type="button" className="btn-icon" onClick={onClose} aria-label={t('common.close')}>
              <Icon name="close" />
            </button>
          ) : null}
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
