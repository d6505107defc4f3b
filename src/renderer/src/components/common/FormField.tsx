import type { InputHTMLAttributes, ReactNode } from 'react';

/** A label over its control with an optional hint under it: the one shape of every form field. */
export function FormField({
  label,
  hint,
  className,
  children,
}: {
  label: string;
  hint?: string;
  /** Layout classes added to `field`, such as `grow` inside a form row. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className ? `field ${className}` : 'field'}>
      <span>{label}</span>
      {children}
      {hint ? <small className="muted">{hint}</small> : null}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A labelled input holding a string in state: the caller gets the new text, not the event. */
export function TextField({
  label,
  hint,
  fieldClassName,
  value,
  onValueChange,
  testId,
  ...input
}: InputProps & {
  label: string;
  hint?: string;
  fieldClassName?: string;
  value: string;
  onValueChange(value: string): void;
  testId?: string;
}) {
  return (
    <FormField label={label} hint={hint} className={fieldClassName}>
      <input {...input} value={value} onChange={(e) => onValueChange(e.target.value)} data-testid={testId} />
    </FormField>
  );
}
