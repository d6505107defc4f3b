import { useCallback, useRef, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { isCancellation, toAppError } from '../i18n/errors';

export interface Action {
  /** Runs an action; an expected failure is kept as `error` (translated where shown) and undefined returned. */
  run<T>(fn: () => Promise<T>): Promise<T | undefined>;
  busy: boolean;
  error: AppError | null;
  clearError(): void;
}

/** The one wrapper for user actions: busy flag, cancellations ignored, failures kept as AppError. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const mounted = useRef(true);
  const run = useCallback(async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await fn();
    } catch (caught) {
      if (isCancellation(caught)) return undefined;
      const appError = toAppError(caught);
      // Lock and sign-out switch the screen themselves (guardClient); a banner would only repeat it.
      if (appError.code !== 'auth.locked' && appError.code !== 'auth.required') setError(appError);
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, busy, error, clearError };
}
