import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Dialog } from '../common/Dialog';
import { ProblemBanner } from '../common/ErrorBanner';
import { FormField } from '../common/FormField';
import { parseGoTo, type GoToTarget } from './timecode';

/** G: jump to a typed media time (`hh:mm:ss.mmm`, seconds) or frame (`#1234`). */
export function GoToDialog({
  durationSec,
  lastFrame,
  onGo,
  onClose,
}: {
  durationSec: number;
  /** Highest frame number, or null when the item has no frames. */
  lastFrame: number | null;
  onGo(target: GoToTarget): void;
  onClose(): void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const target = parseGoTo(text);
    if (!target) return setProblem(t('review.goTo.unreadable'));
    if (target.kind === 'frame' && lastFrame === null) return setProblem(t('review.goTo.noFrames'));
    if (target.kind === 'frame' && lastFrame !== null && target.frame > lastFrame)
      return setProblem(t('review.goTo.frameOutside', { last: lastFrame }));
    if (target.kind === 'time' && target.seconds > durationSec)
      return setProblem(t('review.goTo.timeOutside', { duration: durationSec.toFixed(3) }));
    onGo(target);
    onClose();
  };

  return (
    <Dialog title={t('review.goTo.title')} onClose={onClose} testId="goto-dialog">
      <form className="form" onSubmit={submit}>
        <FormField label={t('review.goTo.label')} hint={t('review.goTo.hint')}>
          <input
            autoFocus
            className="mono"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setProblem(null);
            }}
            placeholder="00:01:23.480"
            data-testid="goto-input"
          />
        </FormField>
        {problem ? <ProblemBanner testId="goto-problem">{problem}</ProblemBanner> : null}
        <div className="form-actions">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="goto-submit">
            {t('review.goTo.go')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
