import { memo } from 'react';
import { useI18n } from '../../i18n';
import type { InOut, TimelineView } from './reviewTypes';

/**
 * The in/out range across every track; a lone in or out point shows as its bracket alone. The
 * range a clip would really hold (a lossless clip starts on a keyframe) is outlined under it.
 */
export const RangeOverlay = memo(function RangeOverlay({
  view,
  range,
  plan,
}: {
  view: TimelineView;
  range: InOut;
  plan: { fromSec: number; toSec: number } | null;
}) {
  const { t } = useI18n();
  const { inSec, outSec } = range;
  if (inSec === null && outSec === null) return null;
  const left = inSec === null ? null : inSec * view.pxPerSec;
  const right = outSec === null ? null : outSec * view.pxPerSec;
  return (
    <>
      {plan ? (
        <div
          className="range-plan"
          style={{ left: plan.fromSec * view.pxPerSec, width: (plan.toSec - plan.fromSec) * view.pxPerSec }}
          title={t('review.range.planHint')}
          data-testid="range-plan"
        />
      ) : null}
      {left !== null && right !== null && right > left ? (
        <div className="range-fill" style={{ left, width: right - left }} data-testid="range-overlay" />
      ) : null}
      {left !== null ? <div className="range-edge range-in" style={{ left }} data-testid="range-in" /> : null}
      {right !== null ? <div className="range-edge range-out" style={{ left: right }} data-testid="range-out" /> : null}
    </>
  );
});
