/** What the HEIF worker is asked (see `heifWorkerMain`) and what it answers. */

export interface HeifWorkerData {
  /** Absolute path of libheif-js's `wasm-bundle` (the worker has no module resolution of its own). */
  libheifPath: string;
  file: string;
  /** `size`: the primary image's width and height only; `decode`: also its RGBA into `rawOut`. */
  mode: 'size' | 'decode';
  rawOut?: string;
  maxPixels: number;
  maxFileBytes: number;
}

export type HeifFailure = 'fileTooLarge' | 'noImage' | 'tooLarge' | 'decodeFailed';

export type HeifWorkerReply =
  | { ok: true; width: number; height: number; libheifVersion: string }
  | {
      ok: false;
      reason: HeifFailure;
      detail: string;
      width?: number;
      height?: number;
      libheifVersion?: string;
    };
