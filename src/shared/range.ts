// Shared by every host that streams media (Electron's `evidence://` protocol, the web host's
// `/media`) so that both answer seeking the same way. Pure: no Node imports.

/**
 * What a `Range` request header asks of a file of `size` bytes (RFC 9110 §14).
 *
 * - `full`: no usable range; answer 200 with the whole file. Malformed headers, other units and
 *   multi-range requests land here, because a server may ignore Range, and a whole file is
 *   always a correct answer where a wrong slice is not.
 * - `partial`: answer 206 with bytes `start..end` inclusive.
 * - `unsatisfiable`: answer 416 with `Content-Range: bytes *\/size`.
 */
export type RangeRequest =
  { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

function parsePosition(digits: string): number | null {
  if (digits === '') return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : Number.NaN;
}

export function parseRangeHeader(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: 'full' };
  const first = parsePosition(match[1] ?? '');
  const last = parsePosition(match[2] ?? '');
  if (Number.isNaN(first) || Number.isNaN(last)) return { kind: 'full' };

  if (first === null) {
    // `bytes=-n`: the last n bytes.
    if (last === null) return { kind: 'full' };
    if (last === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - last), end: size - 1 };
  }
  if (last !== null && last < first) return { kind: 'full' };
  if (first >= size) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start: first, end: last === null ? size - 1 : Math.min(last, size - 1) };
}

/** The `Content-Range` value of a 206 answer. */
export function formatContentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}
