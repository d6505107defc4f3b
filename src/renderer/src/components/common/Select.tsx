interface SelectBase<T extends string> {
  options: readonly T[];
  /** The text shown for an option; the option itself when left out (ids are shown as they are). */
  labelOf?(option: T): string;
  testId?: string;
}

/**
 * With `anyLabel`, a first option '' stands for "any" and is a value the caller receives. The
 * option type comes from `options` alone (NoInfer), so a wider state setter cannot widen it.
 */
type SelectProps<T extends string> = SelectBase<T> &
  (
    | { anyLabel?: undefined; value: NoInfer<T>; onValueChange(value: NoInfer<T>): void }
    | { anyLabel: string; value: NoInfer<T> | ''; onValueChange(value: NoInfer<T> | ''): void }
  );

/** A select over a fixed list of string values, typed so callers need no cast of the event's value. */
export function Select<T extends string>(props: SelectProps<T>) {
  const { options, labelOf, testId, anyLabel, value } = props;
  return (
    // Only values from `options` (or '' with anyLabel) can be chosen, so the cast holds.
    <select value={value} onChange={(e) => props.onValueChange(e.target.value as T)} data-testid={testId}>
      {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
      {options.map((option) => (
        <option key={option} value={option}>
          {labelOf ? labelOf(option) : option}
        </option>
      ))}
    </select>
  );
}
