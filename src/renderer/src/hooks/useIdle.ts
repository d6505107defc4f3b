import { useEffect, useRef } from 'react';

const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_INTERVAL_MS = 5_000;

/** Calls `onIdle` once after `idleMinutes` without mouse or keyboard input, while `enabled`. */
export function useIdle(idleMinutes: number, enabled: boolean, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });

  useEffect(() => {
    if (!enabled) return;
    let lastActivity = Date.now();
    let fired = false;
    const markActive = () => {
      lastActivity = Date.now();
    };
    for (const name of ACTIVITY_EVENTS) window.addEventListener(name, markActive, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (!fired && Date.now() - lastActivity >= idleMinutes * 60_000) {
        fired = true;
        onIdleRef.current();
      }
    }, CHECK_INTERVAL_MS);
    return () => {
      window.clearInterval(timer);
      for (const name of ACTIVITY_EVENTS) window.removeEventListener(name, markActive, { capture: true });
    };
  }, [idleMinutes, enabled]);
}
