import type { InputHTMLAttributes, ReactNode } from 'react';

/** A label over its control with an optional hint under it: the one shape of every form field. */
export function FormField({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: string;
  hint?: string;
  /** What is wrong with the value, said on the field itself (instead of the hint). */
  error?: string | null;
  /** Layout classes added to `field`, such as `grow` inside a form row. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className ? `field ${className}` : 'field'}>
      <span>{label}</span>
      {children}
      {error ? (
        <small className="field-error" role="alert" data-testid="field-error">
          {error}
        </small>
      ) : hint ? (
        <small className="muted">{hint}</small>
      ) : null}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A labelled input holding a string in state: the caller gets the new text, not the event. */
export function TextField({
  label,
  hint,
  error,
  fieldClassName,
  value,
  onValueChange,
  testId,
  ...input
}: InputProps & {
  label: string;
  hint?: string;
  error?: string | null;
  fieldClassName?: string;
  value: string;
  onValueChange(value: string): void;
  testId?: string;
}) {
  return (
    <FormField label={label} hint={hint} error={error} className={fieldClassName}>
      <input
        {...input}
        aria-invalid={error ? true : undefined}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        data-testid={testId}
      />
    </FormField>
  );
}
