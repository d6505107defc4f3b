import type { ReactNode } from 'react';
import type { StationClient } from '../../../../shared/contract';
import type { AppError } from '../../../../shared/errors';
import type { Session } from '../../../../shared/schemas';
import type { Action } from '../../hooks/useAction';
import { ErrorBanner } from '../common/ErrorBanner';

/** What the app hands a screen whose form ends in a new session (setup, sign-in). */
export interface SessionScreenProps {
  client: StationClient;
  stationName: string;
  onSignedIn(session: Session): void;
}

/** The form of every auth screen: its fields, then the action's error, then the one primary button. */
export function AuthForm({
  action,
  onSubmit,
  submitLabel,
  submitTestId,
  children,
  footer,
  shownOnField,
}: {
  action: Action;
  onSubmit(): Promise<void>;
  submitLabel: string;
  submitTestId: string;
  children: ReactNode;
  /** Secondary buttons under the submit button. */
  footer?: ReactNode;
  /** True for an error a field of the form already says in its own words: no banner then. */
  shownOnField?: (error: AppError) => boolean;
}) {
  const banner = action.error && shownOnField?.(action.error) ? null : action.error;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void onSubmit();
      }}
    >
      {children}
      <ErrorBanner error={banner} />
      <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid={submitTestId}>
        {submitLabel}
      </button>
      {footer}
    </form>
  );
}
