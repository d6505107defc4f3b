import { useCallback, useEffect, useState } from 'react';

/**
 * Where the reviewer is, kept in the URL's hash so Back/Forward and a reload return to the same
 * recording or case. Ids in the hash are opaque (item and case ids, never paths).
 */
export type Route =
  | { view: 'library' }
  | { view: 'review'; itemId: string; atSec?: number }
  | { view: 'cases' }
  | { view: 'case'; caseRef: string }
  | { view: 'taxonomy' }
  | { view: 'verify' }
  | { view: 'sync' };

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const params = new URLSearchParams(search);
  const [head, id] = parts;
  if (head === 'review' && id && ID.test(id)) {
    const at = Number(params.get('t'));
    return params.has('t') && Number.isFinite(at) && at >= 0
      ? { view: 'review', itemId: id, atSec: at }
      : { view: 'review', itemId: id };
  }
  if (head === 'cases' && id && ID.test(id)) return { view: 'case', caseRef: id };
  if (head === 'cases') return { view: 'cases' };
  if (head === 'taxonomy') return { view: 'taxonomy' };
  if (head === 'verify') return { view: 'verify' };
  if (head === 'sync') return { view: 'sync' };
  return { view: 'library' };
}

export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'library':
      return '#/';
    case 'review':
      return `#/review/${encodeURIComponent(route.itemId)}${route.atSec !== undefined ? `?t=${route.atSec}` : ''}`;
    case 'cases':
      return '#/cases';
    case 'case':
      return `#/cases/${encodeURIComponent(route.caseRef)}`;
    case 'taxonomy':
      return '#/taxonomy';
    case 'verify':
      return '#/verify';
    case 'sync':
      return '#/sync';
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

/**
 * Puts the window back at the library without adding a history entry: a session starts there,
 * never inside whatever the previous user left open (their review would stream, and log a view,
 * under the next account).
 */
export function startAtLibrary(): void {
  const hash = formatRoute({ view: 'library' });
  if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
}

/** The current route and a way to move; follows Back/Forward through `hashchange`. */
export function useRoute(): [Route, (next: Route) => void] {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    const hash = formatRoute(next);
    if (window.location.hash !== hash) window.location.hash = hash;
    setRoute(parseRoute(hash));
  }, []);
  return [route, navigate];
}
