/** Done over total, held to 0..1; nothing to do yet (a total of 0) reads as 0. */
export function progressRatio(done: number, total: number): number {
  return total > 0 ? Math.min(1, done / total) : 0;
}

/** A labelled progress bar; `value` is 0..1, announced to screen readers as a percentage. */
export function ProgressBar({ value, label, testId }: { value: number; label: string; testId?: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(value * 100)}
      data-testid={testId}
    >
      <div className="progress-fill" style={{ width: `${value * 100}%` }} />
    </div>
  );
}
