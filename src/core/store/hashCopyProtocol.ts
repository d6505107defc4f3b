import type { SourceIdentity, SourceOpenFailure } from './openSource';

/**
 * Messages between the engine and its hash-and-copy workers. A copy that is re-read as it goes
 * uses two workers: the copying one reports each slice it has flushed (`flushed`), and the engine
 * hands that slice to the other worker (`rereadTo`), which reads it back from the disk and hashes
 * it while the next slice is copied.
 */
export type HashCopyRequest =
  | {
      op: 'copy';
      id: number;
      source: string;
      dest: string;
      chunkBytes: number;
      expected: SourceIdentity | null;
      /** Flushed to the disk every this many bytes while the copy goes on. */
      sliceBytes: number;
      /** Post `flushed` after each slice's flush and after the final one. */
      reportSlices: boolean;
    }
  | { op: 'hash'; id: number; path: string; chunkBytes: number }
  /** Opens a re-read of `path`; nothing is read until `rereadTo`. Answered once, by `rereadEnd` or `rereadDrop`. */
  | { op: 'rereadStart'; id: number; path: string; chunkBytes: number }
  /** Reads and hashes from where the re-read is up to `bytes` (flushed bytes only). */
  | { op: 'rereadTo'; id: number; bytes: number }
  /** Hashes the rest up to `bytes`, the whole file, and answers `done` with the digest. */
  | { op: 'rereadEnd'; id: number; bytes: number }
  /** Stops the re-read and closes the file; answered with an error. */
  | { op: 'rereadDrop'; id: number };

export type FailureKind =
  'vanished' | 'changedDuringRead' | 'permissionDenied' | 'unreadable' | 'diskFull' | 'storeError' | SourceOpenFailure;

export type HashCopyResponse =
  | { type: 'progress'; id: number; bytes: number }
  /** The copy's first `bytes` are written and flushed to the disk (fdatasync, or fsync at the end). */
  | { type: 'flushed'; id: number; bytes: number; last: boolean }
  | { type: 'done'; id: number; sha256: string; bytes: number }
  | { type: 'error'; id: number; kind: FailureKind; code: string | null; message: string };
