import { useEffect, useRef, type RefObject } from 'react';
import type { PlayerController } from './playerController';

/**
 * The playhead, moved on every animation frame by writing its transform: no React render per
 * frame. It also keeps itself in view: whenever the position changes (playing, stepping, a
 * jump) and leaves the viewport, the timeline pages to it; a reviewer scrolling while paused is
 * left alone.
 */
export function Playhead({
  controller,
  pxPerSec,
  scrollerRef,
}: {
  controller: PlayerController;
  pxPerSec: number;
  scrollerRef: RefObject<HTMLDivElement | null>;
}) {
  const lineRef = useRef<HTMLDivElement>(null);
  const scale = useRef(pxPerSec);

  useEffect(() => {
    scale.current = pxPerSec;
  }, [pxPerSec]);

  useEffect(() => {
    let frame = 0;
    let lastSec = Number.NaN;
    let lastPx = Number.NaN;
    const tick = () => {
      const line = lineRef.current;
      const scroller = scrollerRef.current;
      const sec = controller.positionSec();
      const px = Math.round(sec * scale.current);
      if (line && px !== lastPx) {
        line.style.transform = `translateX(${px}px)`;
        lastPx = px;
      }
      if (scroller && sec !== lastSec) {
        const left = scroller.scrollLeft;
        const width = scroller.clientWidth;
        if (px < left || px > left + width - 4) {
          // Page forward while playing forward; centre on a jump or when going backwards.
          const forward = controller.state.get().rate > 0 && px > left;
          scroller.scrollLeft = Math.max(0, px - (forward ? width * 0.1 : width / 2));
        }
        lastSec = sec;
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [controller, scrollerRef]);

  return (
    <div className="playhead" ref={lineRef} data-testid="playhead" aria-hidden="true">
      <span className="playhead-cap" />
    </div>
  );
}
