import { useEffect, useRef, type RefObject } from 'react';
import { isTypingTarget, matchShortcut, type ShortcutAction } from './shortcuts';

/**
 * Routes key presses to the workspace's actions through the shortcut table. Keys typed into a
 * field or a dialog are left alone, and so is everything while the workspace is hidden (the
 * station locked over it).
 */
export function useReviewKeys(
  rootRef: RefObject<HTMLElement | null>,
  enabled: boolean,
  run: (action: ShortcutAction) => void,
): void {
  const runRef = useRef(run);
  useEffect(() => {
    runRef.current = run;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      if (rootRef.current?.closest('[aria-hidden="true"]')) return;
      const action = matchShortcut(event);
      if (!action) return;
      // Also keeps Space from pressing the focused button and arrows from scrolling the page.
      event.preventDefault();
      runRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, rootRef]);
}
