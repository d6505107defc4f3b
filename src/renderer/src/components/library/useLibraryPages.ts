import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppError } from '../../../../shared/errors';
import type { ItemSummary } from '../../../../shared/schemas';
import { toAppError } from '../../i18n/errors';
import { useClient } from '../../station/StationContext';
import type { LibraryPageQuery } from './filters';

export const PAGE_SIZE = 200;

/** One query's pages. Replaced as a whole when the query changes, so late answers can be recognised and dropped. */
interface PageCache {
  key: string;
  total: number | null;
  pages: Map<number, ItemSummary[]>;
  stale: Set<number>;
  inflight: Set<number>;
  failed: Set<number>;
}

function createCache(key: string): PageCache {
  return { key, total: null, pages: new Map(), stale: new Set(), inflight: new Set(), failed: new Set() };
}

export interface LibraryPages {
  /** Null until the first page answers. */
  total: number | null;
  /** Bumps whenever a page arrives; views re-check their range against it. */
  version: number;
  error: AppError | null;
  itemAt(index: number): ItemSummary | undefined;
  /** Fetches the pages covering [start, end] that are missing or stale. Cheap to call on every scroll. */
  ensureRange(start: number, end: number): void;
  /** Marks every page stale (the library changed); visible pages are fetched again, old rows stay shown meanwhile. */
  refresh(): void;
}

/**
 * Pages of library.query fetched on demand as rows scroll into view, so a library of 100,000 items
 * costs only the pages someone has looked at.
 */
export function useLibraryPages(query: LibraryPageQuery): LibraryPages {
  const client = useClient();
  const key = JSON.stringify(query);
  const [cache, setCache] = useState(() => createCache(key));
  const cacheRef = useRef(cache);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<AppError | null>(null);

  if (cache.key !== key) {
    // Derived-state reset during render (React's documented pattern) so the old query's rows never flash.
    const next = createCache(key);
    setCache(next);
    setError(null);
  }

  useEffect(() => {
    cacheRef.current = cache;
  }, [cache]);

  const fetchPage = useCallback(
    (target: PageCache, page: number) => {
      if (target.inflight.has(page)) return;
      target.inflight.add(page);
      const pageQuery = JSON.parse(target.key) as LibraryPageQuery;
      client.call('library.query', { ...pageQuery, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (result) => {
          target.inflight.delete(page);
          target.stale.delete(page);
          target.failed.delete(page);
          target.pages.set(page, result.items);
          target.total = result.total;
          if (cacheRef.current === target) setVersion((v) => v + 1);
        },
        (caught: unknown) => {
          target.inflight.delete(page);
          target.failed.add(page);
          if (cacheRef.current === target) {
            setError(toAppError(caught));
            setVersion((v) => v + 1);
          }
        },
      );
    },
    [client],
  );

  useEffect(() => {
    cacheRef.current = cache;
    fetchPage(cache, 0);
  }, [cache, fetchPage]);

  const ensureRange = useCallback(
    (start: number, end: number) => {
      const current = cacheRef.current;
      if (current.total === null) return;
      const last = Math.min(end, current.total - 1);
      for (let page = Math.floor(Math.max(0, start) / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
        if (current.failed.has(page)) continue;
        if (!current.pages.has(page) || current.stale.has(page)) fetchPage(current, page);
      }
    },
    [fetchPage],
  );

  const refresh = useCallback(() => {
    const current = cacheRef.current;
    for (const page of current.pages.keys()) current.stale.add(page);
    current.failed.clear();
    setError(null);
    // Page 0 always answers the new total, even when nothing is on screen yet.
    fetchPage(current, 0);
    setVersion((v) => v + 1);
  }, [fetchPage]);

  const itemAt = useCallback(
    (index: number) => cache.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    // `version` makes a new function when pages arrive, so memoised rows re-render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cache, version],
  );

  return { total: cache.total, version, error, itemAt, ensureRange, refresh };
}
