/** Messages to the read-back worker: a file to follow, how far it is written and flushed, its end. */
export type ReadBackRequest =
  | { type: 'file'; id: number; path: string }
  | { type: 'written'; id: number; bytes: number }
  | { type: 'complete'; id: number; bytes: number };

export type ReadBackResponse =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; sha256: string; bytes: number }
  | { type: 'error'; id: number; code: string | null; message: string };
