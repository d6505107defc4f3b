/** Messages between the package verifier and its hashing workers. */

/**
 * What the file at `path` was when it was listed: the worker hashes it only if the handle it
 * opened is still that file (a regular file of this size, and this device and inode when known).
 */
export interface ExpectedFile {
  size: number;
  /** Decimal strings: they may exceed 2^53. */
  dev?: string;
  ino?: string;
}

export interface RangeHashRequest {
  id: number;
  /** The file to read: a payload file, or the zip that holds a stored entry. */
  path: string;
  /** Where the bytes start in `path`. */
  start: number;
  /** How many bytes to hash; fewer in the file is an error (a truncated file or zip). */
  length: number;
  /** Checked on the opened handle; without it the file must still be a regular file. */
  expect?: ExpectedFile;
  /** Read past the page cache (direct I/O), to check what the medium holds rather than what was just written. */
  direct: boolean;
  chunkBytes: number;
}

export type RangeHashResponse =
  | { type: 'progress'; id: number; bytes: number }
  | { type: 'done'; id: number; sha256: string; bytes: number }
  | { type: 'error'; id: number; code: string | null; message: string };
