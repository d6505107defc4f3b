import { decodeManifestPath, encodeManifestPath } from './payloadNames';

/**
 * The court package's fixed text: a BagIt 1.0 bag (RFC 8493) with a signature beside its tag
 * manifest. Writer and verifier share these definitions so they cannot drift apart.
 *
 * bag-info.txt fields, in the order the station writes them:
 * - `Source-Organization`: the office name;
 * - `Bagging-Date`: the seal date (YYYY-MM-DD);
 * - `External-Identifier`: `<case number> v<version>`;
 * - `Payload-Oxum`: `<payload octets>.<payload file count>`;
 * - `Bag-Size`: the payload size for people (`1.2 GB`);
 * - `Station-Id`: the sealing station's id;
 * - `Station-Key-Fingerprint`: SHA-256 of the signing key's SPKI DER, lowercase hex;
 * - `Sealed-By`: the sealing account;
 * - `Custody-Chain-Head`: `<seq> <hash>` of the station's custody chain just before the seal entry.
 */

export const BAGIT_TXT_NAME = 'bagit.txt';
export const BAG_INFO_NAME = 'bag-info.txt';
export const MANIFEST_NAME = 'manifest-sha256.txt';
export const TAG_MANIFEST_NAME = 'tagmanifest-sha256.txt';
export const SEAL_DIR = 'seal';
export const PUBLIC_KEY_NAME = 'seal/station.pub.pem';
export const SIGNATURE_NAME = 'seal/tagmanifest-sha256.txt.sig';
/**
 * Added by each export, outside the tag manifest (the sealed bytes never change): the station's
 * latest signed custody checkpoint, exactly the signed canonical JSON, and its raw 64-byte Ed25519
 * signature by the package's key, so `openssl pkeyutl -verify … -rawin -in
 * seal/custody-checkpoint.json -sigfile seal/custody-checkpoint.json.sig` checks it.
 */
export const CHECKPOINT_NAME = 'seal/custody-checkpoint.json';
export const CHECKPOINT_SIGNATURE_NAME = 'seal/custody-checkpoint.json.sig';
/**
 * Added by exports of an approved version, outside the tag manifest: the supervisor's approval,
 * exactly the canonical JSON the station signed when the version was approved, and its raw 64-byte
 * Ed25519 signature by the package's key: `openssl pkeyutl -verify -pubin -inkey
 * seal/station.pub.pem -rawin -in seal/approval.json -sigfile seal/approval.json.sig` checks it.
 */
export const APPROVAL_NAME = 'seal/approval.json';
export const APPROVAL_SIGNATURE_NAME = 'seal/approval.json.sig';
/**
 * Added by exports of a version the central server received, outside the tag manifest: each
 * receipt exactly as the server sent it (canonical JSON), its raw 64-byte Ed25519 signature, and
 * the server key pinned at enrolment: `openssl pkeyutl -verify -pubin -inkey seal/server.pub.pem
 * -rawin -in seal/receipt-<seq>.json -sigfile seal/receipt-<seq>.json.sig` checks it.
 */
export const SERVER_KEY_NAME = 'seal/server.pub.pem';
export const RECEIPT_FILE = /^seal\/receipt-([1-9][0-9]{0,15})\.json$/;
export const RECEIPT_SIGNATURE_FILE = /^seal\/receipt-([1-9][0-9]{0,15})\.json\.sig$/;
export function receiptName(seq: number): string {
  return `seal/receipt-${seq}.json`;
}
export function receiptSignatureName(seq: number): string {
  return `seal/receipt-${seq}.json.sig`;
}
export const PAYLOAD_DIR = 'data';

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';

export const BAG_INFO = {
  sourceOrganization: 'Source-Organization',
  baggingDate: 'Bagging-Date',
  externalIdentifier: 'External-Identifier',
  payloadOxum: 'Payload-Oxum',
  bagSize: 'Bag-Size',
  stationId: 'Station-Id',
  keyFingerprint: 'Station-Key-Fingerprint',
  sealedBy: 'Sealed-By',
  chainHead: 'Custody-Chain-Head',
} as const;

/** An Ed25519 signature is always this long. */
export const SIGNATURE_BYTES = 64;

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Byte order of the UTF-8 encoding, as `LC_ALL=C sort` orders: the same on every machine and locale. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export interface ManifestEntry {
  path: string;
  sha256: string;
}

/** A manifest exactly as `sha256sum` writes one: lowercase hex, two spaces, the path, LF; sorted by path. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  return [...entries]
    .sort((a, b) => compareUtf8(a.path, b.path))
    .map((e) => `${e.sha256.toLowerCase()}  ${encodeManifestPath(e.path)}\n`)
    .join('');
}

export interface ParsedManifest {
  entries: ManifestEntry[];
  /** Lines that are not `<64 hex>  <path>` (1-based line numbers with the reason). */
  malformed: Array<{ line: number; detail: string }>;
}

/**
 * Reads a manifest. RFC 8493 allows one or more spaces or tabs between hash and path; `sha256sum`
 * writes two (or ` *` in binary mode), both accepted. CRLF line ends are tolerated.
 */
export function parseManifest(text: string): ParsedManifest {
  const entries: ManifestEntry[] = [];
  const malformed: ParsedManifest['malformed'] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = /^([0-9a-fA-F]{64})[ \t]+\*?(.+)$/.exec(line);
    if (!m) {
      malformed.push({ line: i + 1, detail: 'not "<sha-256>  <path>"' });
      return;
    }
    const path = decodeManifestPath(m[2]!);
    if (!isSafeBagPath(path)) {
      malformed.push({ line: i + 1, detail: 'the path leaves the bag or is not relative' });
      return;
    }
    entries.push({ sha256: m[1]!.toLowerCase(), path });
  });
  return { entries, malformed };
}

/** A relative path inside the bag: no absolute path, no `..`, no empty or `.` segment, `/` separators only. */
export function isSafeBagPath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** bag-info.txt: `Label: value` lines in the given order; a value's line breaks become folded continuation lines. */
export function formatBagInfo(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields
    .map(([label, value]) => {
      if (!LABEL.test(label)) throw new Error(`invalid bag-info label: ${JSON.stringify(label)}`);
      const folded = value
        .split(/\r\n|\r|\n/)
        .map((part) => part.trim())
        .join('\n  ');
      return `${label}: ${folded}\n`;
    })
    .join('');
}

export interface ParsedBagInfo {
  fields: Array<[string, string]>;
  malformed: Array<{ line: number; detail: string }>;
}

/** Reads bag-info.txt, joining folded lines with a space. */
export function parseBagInfo(text: string): ParsedBagInfo {
  const fields: Array<[string, string]> = [];
  const malformed: ParsedBagInfo['malformed'] = [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    if (/^[ \t]/.test(line)) {
      const last = fields.at(-1);
      if (!last) malformed.push({ line: i + 1, detail: 'continuation line before any label' });
      else last[1] = `${last[1]} ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    const label = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!label || !LABEL.test(label)) {
      malformed.push({ line: i + 1, detail: 'not "Label: value"' });
      return;
    }
    fields.push([label, line.slice(colon + 1).trim()]);
  });
  return { fields, malformed };
}

/**
 * bag-info.txt labels that must appear at most once. RFC 8493 §2.2.2 lets a reserved element repeat
 * unless it says otherwise: `Payload-Oxum` MUST NOT, and `Bagging-Date`, `Bag-Size`,
 * `Bag-Group-Identifier` and `Bag-Count` SHOULD NOT be repeated. The station's own labels, and
 * `External-Identifier` (which names the case and version), are read as one value: a second one
 * would let another tool show a different case, key or chain head than the one checked here, so
 * they may not repeat either. Any other label may (`Source-Organization`, `Contact-Name`, …).
 */
export const SINGLE_BAG_INFO_LABELS: readonly string[] = [
  BAG_INFO.payloadOxum,
  BAG_INFO.baggingDate,
  BAG_INFO.bagSize,
  'Bag-Group-Identifier',
  'Bag-Count',
  BAG_INFO.externalIdentifier,
  BAG_INFO.stationId,
  BAG_INFO.keyFingerprint,
  BAG_INFO.sealedBy,
  BAG_INFO.chainHead,
];

/** Labels given more than once (compared without case, as RFC 8493 compares them), with how often. */
export function repeatedLabels(info: ParsedBagInfo): Array<{ label: string; count: number }> {
  const counts = new Map<string, { label: string; count: number }>();
  for (const [label] of info.fields) {
    const key = label.toLowerCase();
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { label, count: 1 });
  }
  return [...counts.values()].filter((c) => c.count > 1);
}

export function bagInfoValue(info: ParsedBagInfo, label: string): string | undefined {
  return info.fields.find(([l]) => l.toLowerCase() === label.toLowerCase())?.[1];
}

/** `Bag-Size`, approximate and for people, as RFC 8493 asks: decimal units, one decimal. */
export function formatBagSize(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (bytes < 1000) return `${bytes} bytes`;
  let value = bytes;
  let unit = '';
  for (const u of units) {
    value /= 1000;
    unit = u;
    if (value < 1000) break;
  }
  return `${value.toFixed(1)} ${unit}`;
}
