import type { SourceIdentity, SourceOpenFailure } from './openSource';

/** Messages between the engine and the hash-and-copy worker. */
export type HashCopyRequest =
  | { op: 'copy'; id: number; source: string; dest: string; chunkBytes: number; expected: SourceIdentity | null }
  | { op: 'hash'; id: number; path: string; chunkBytes: number };

export type FailureKind =
  'vanished' | 'changedDuringRead' | 'permissionDenied' | 'unreadable' | 'diskFull' | 'storeError' | SourceOpenFailure;

export type HashCopyResponse =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; sha256: string; bytes: number }
  | { type: 'error'; id: number; kind: FailureKind; code: string | null; message: string };
