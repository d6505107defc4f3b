import type { InputHTMLAttributes } from 'react';
import { useI18n } from '../../i18n';
import { TextField } from './FormField';

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type' | 'placeholder'>;

/**
 * A date (and time) typed as year-month-day, whatever the browser's own language: Chromium draws
 * `<input type="date">` in the operating system's locale (mm/dd/yyyy on an English machine) and
 * ignores the page's lang, so a Chinese screen showed American dates. Year first is the Chinese
 * convention and reads the same in English. The value in and out keeps the form the native
 * control used (`YYYY-MM-DD`, `YYYY-MM-DDTHH:mm[:ss]`); on screen the `T` is a space.
 */
export function DateTimeField({
  withTime,
  seconds,
  value,
  onValueChange,
  ...rest
}: InputProps & {
  label: string;
  hint?: string;
  error?: string | null;
  fieldClassName?: string;
  testId?: string;
  /** A time of day after the date. */
  withTime: boolean;
  /** Seconds in the placeholder (the value may carry them either way). */
  seconds?: boolean;
  value: string;
  onValueChange(value: string): void;
}) {
  const { t } = useI18n();
  const placeholder = withTime ? t(seconds ? 'dateField.dateTimeSeconds' : 'dateField.dateTime') : t('dateField.date');
  return (
    <TextField
      {...rest}
      value={value.replace('T', ' ')}
      onValueChange={(text) => onValueChange(toValue(text, withTime))}
      placeholder={placeholder}
      inputMode="numeric"
      spellCheck={false}
      autoComplete="off"
      className="mono"
    />
  );
}

/** The typed text in the native control's form: `2026-03-01 09:30` → `2026-03-01T09:30`. */
export function toValue(text: string, withTime: boolean): string {
  const trimmed = text.trim().replace(/\//g, '-');
  return withTime ? trimmed.replace(/^(\d{4}-\d{1,2}-\d{1,2})[ T]+/, '$1T') : trimmed;
}
