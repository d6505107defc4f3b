import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../shared/errors';
import { toAppError } from '../i18n/errors';

export interface Loaded<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  reload(): void;
}

interface Answer<T> {
  key: string;
  generation: number;
  data: T | undefined;
  error: AppError | null;
}

/**
 * Loads data when `key` changes and on `reload()`. Answers to an older key are dropped, so a slow
 * response never overwrites the view of a newer selection. Reloads keep the previous data visible.
 */
export function useLoad<T>(load: (() => Promise<T>) | null, key: string): Loaded<T> {
  const [answer, setAnswer] = useState<Answer<T>>({ key: '', generation: -1, data: undefined, error: null });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!load) return;
    let current = true;
    load().then(
      (data) => {
        if (current) setAnswer({ key, generation, data, error: null });
      },
      (error: unknown) => {
        if (current) {
          setAnswer((prev) => ({
            key,
            generation,
            data: prev.key === key ? prev.data : undefined,
            error: toAppError(error),
          }));
        }
      },
    );
    return () => {
      current = false;
    };
    // `load` is a new closure every render; `key` and `generation` are what identify the request.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const fresh = answer.key === key;
  return {
    data: fresh ? answer.data : undefined,
    error: fresh ? answer.error : null,
    loading: !fresh || answer.generation !== generation,
    reload,
  };
}
