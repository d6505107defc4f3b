import { useState, type FormEvent, type ReactNode } from 'react';
import { useAction } from '../../hooks/useAction';
import { ConfirmActions } from './ConfirmActions';
import { Dialog } from './Dialog';
import { FormField } from './FormField';

/**
 * Confirms an action that the custody log records with the reviewer's reason: the reason is
 * required (trimmed, at most 1000 characters) and `confirm` receives it. `onDone` gets what the
 * action returned; a failure stays in the dialog.
 */
export function ReasonDialog<T>({
  title,
  testId,
  children,
  reasonLabel,
  reasonPlaceholder,
  reasonTestId,
  submitLabel,
  submitTestId,
  danger,
  confirm,
  onDone,
  onClose,
}: {
  title: ReactNode;
  testId: string;
  /** What the action does, above the reason. */
  children: ReactNode;
  reasonLabel: string;
  reasonPlaceholder: string;
  reasonTestId: string;
  submitLabel: string;
  submitTestId: string;
  danger?: boolean;
  confirm(reason: string): Promise<T>;
  onDone(result: T): void;
  onClose(): void;
}) {
  const action = useAction();
  const [reason, setReason] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await action.run(() => confirm(reason.trim()));
    if (result) onDone(result);
  };

  return (
    <Dialog title={title} onClose={onClose} closable={!action.busy} testId={testId}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        {children}
        <FormField label={reasonLabel}>
          <textarea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={reasonPlaceholder}
            maxLength={1000}
            required
            autoFocus
            data-testid={reasonTestId}
          />
        </FormField>
        <ConfirmActions
          action={action}
          onCancel={onClose}
          label={submitLabel}
          testId={submitTestId}
          ready={reason.trim() !== ''}
          danger={danger}
        />
      </form>
    </Dialog>
  );
}
