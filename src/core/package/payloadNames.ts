/**
 * Names for the files inside a court package. The package is opened on Windows, macOS and Linux
 * by people who have never seen this software, and checked with `sha256sum -c`, so a name must
 * survive all of them unchanged: no character any of them reserves, no name Windows reserves for
 * a device, no name that only differs by case from another (Windows and macOS fold case), a
 * length every file system accepts, and nothing `sha256sum` escapes (backslash, newline). The
 * name the file really had is kept in `case.json`; this one only has to be safe and recognisable.
 */

/** Upper bound of a payload file name in UTF-8 bytes; ext4 and NTFS allow 255, zips and paths want less. */
export const MAX_NAME_BYTES = 120;
/** An extension longer than this is not one (`archive.tar.something-very-long`), it stays in the stem. */
const MAX_EXT_BYTES = 16;
const RESERVED_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// Control characters (C0, DEL, C1), the characters Windows reserves, `%` (RFC 8493 percent-encodes
// it in manifests), backslash (sha256sum escapes it) and `/`.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHAR = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*%]/gu;
// Characters that render as nothing or reorder the text around them: a name must look like what it is.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` within `maxBytes` UTF-8 bytes, never splitting a character or surrogate pair. */
function truncateUtf8(s: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const n = utf8Length(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return { stem: name, ext: '' };
  const ext = name.slice(dot);
  if (utf8Length(ext) > MAX_EXT_BYTES || /\s/u.test(ext)) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext };
}

function trimEnds(s: string): string {
  return s.replace(/^[\s.]+/u, '').replace(/[\s.]+$/u, '');
}

/**
 * One name made safe on its own (no uniqueness): NFC, unsafe characters replaced by `_`, no
 * leading or trailing dots or spaces, no device name, at most `maxBytes` UTF-8 bytes with the
 * extension kept. Never empty.
 */
export function safeFileName(original: string, maxBytes: number = MAX_NAME_BYTES): string {
  const cleaned = original.normalize('NFC').replace(INVISIBLE, '').replace(UNSAFE_CHAR, '_');
  // Only the last path component counts: a name with `/` in it has had them replaced above, so
  // `../x` is now `.._x`, whose leading dots go next.
  let { stem, ext } = splitExtension(trimEnds(cleaned));
  stem = trimEnds(stem);
  ext = ext.replace(/\s+$/u, '');
  if (stem === '') stem = 'file';
  // `CON.mp4`, `nul.tar.gz`, `COM1 `: Windows maps the device name with any extension.
  const firstPart = stem.split('.')[0]!.trim();
  if (RESERVED_DEVICE.test(firstPart)) stem = `_${stem}`;
  const stemBytes = Math.max(1, maxBytes - utf8Length(ext));
  stem = trimEnds(truncateUtf8(stem, stemBytes));
  if (stem === '') stem = 'file';
  return `${stem}${ext}`;
}

/**
 * Safe, distinct names for the files of one folder, in the order given. Each name gets an
 * ordinal prefix `0001_`, `0002_`, … (its position, 1-based, at least four digits), which makes
 * every name unique however the originals compare, keeps the listing in the case's order, and
 * tells two files with the same original name apart at a glance. The whole name, prefix
 * included, stays within `maxBytes`.
 */
export function payloadNames(originals: readonly string[], maxBytes: number = MAX_NAME_BYTES): string[] {
  const width = Math.max(4, String(originals.length).length);
  const seen = new Set<string>();
  return originals.map((original, i) => {
    const prefix = `${String(i + 1).padStart(width, '0')}_`;
    const name = `${prefix}${safeFileName(original, maxBytes - prefix.length)}`;
    // The ordinal alone already makes names distinct; this guards the promise should it change.
    const key = name.toLowerCase();
    if (seen.has(key)) throw new Error(`payload name collision: ${name}`);
    seen.add(key);
    return name;
  });
}

/**
 * A path as RFC 8493 writes it in a manifest: CR, LF and `%` percent-encoded. Our own names never
 * contain them; a bag made elsewhere may.
 */
export function encodeManifestPath(path: string): string {
  return path.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** The inverse of `encodeManifestPath`, for reading a manifest. */
export function decodeManifestPath(path: string): string {
  return path.replace(/%(0D|0A|25)/gi, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}
