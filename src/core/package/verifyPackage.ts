import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { hashCustodyEntry } from '../custody/custodyLog';
import { keyFingerprint } from '../keys/fingerprint';
import { AppError } from '../../shared/errors';
import {
  CaseJson,
  CustodyLine,
  type BagProblem,
  type BagProblemKind,
  type VerifyCheck,
  type VerifyReport,
} from '../../shared/sealSchemas';
import {
  BAG_INFO,
  BAG_INFO_NAME,
  BAGIT_TXT_NAME,
  MANIFEST_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_BYTES,
  SIGNATURE_NAME,
  TAG_MANIFEST_NAME,
  bagInfoValue,
  parseBagInfo,
  parseManifest,
  type ManifestEntry,
  type ParsedBagInfo,
} from './bagFormat';
import { openFolderBag, openZipBag, TooLargeError, type BagSource } from './bagSource';
import { RangeHashAbortedError, RangeHashPool } from './rangeHashPool';

/**
 * Verifies a court package, a bag folder or a zip of one, and lists every problem it finds, not
 * just the first: completeness and fixity of the payload, the tag manifest, the signature, the
 * key's fingerprint, each custody entry's own hash and `case.json` against the manifest. It only
 * reads. Whether the key is trusted is a separate question, answered from `known` keys or an
 * expected fingerprint when the caller has them.
 */

export interface KnownKeys {
  /** This station's own key fingerprint, when known. */
  station: string | null;
  /** Fingerprints of the keys an admin imported. */
  imported: string[];
  /** Keys the station holds but does not vouch for (their records disagree), with why. */
  refused?: Array<{ fingerprint: string | null; detail: string }>;
}

export interface VerifyOptions {
  known?: KnownKeys;
  /** Any other key is then a `fingerprint` problem. Spaces and colons are ignored. */
  expectFingerprint?: string;
  signal?: AbortSignal;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /**
   * Read past the page cache (direct I/O) where the file system allows it: for checking a copy
   * just written, so what is checked is what the medium holds. Off by default: a package someone
   * hands over is read however is fastest.
   */
  directIo?: boolean;
}

export class VerifyAbortedError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

/** Tag files, the public key, `case.json`: read whole, so bounded. */
const MAX_TAG_FILE_BYTES = 16 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;
const CASE_JSON = 'data/case.json';
const CUSTODY_JSONL = 'data/custody.jsonl';
const ITEM_FOLDERS = ['data/originals/', 'data/clips/', 'data/stills/'];
/** Tag files besides the tag manifest that the signature must cover. */
const REQUIRED_TAG_FILES = [BAGIT_TXT_NAME, BAG_INFO_NAME, MANIFEST_NAME, PUBLIC_KEY_NAME];

const CHECK_KINDS: Record<VerifyCheck['name'], BagProblemKind[]> = {
  format: ['format'],
  manifest: ['manifest'],
  completeness: ['missing', 'extra'],
  fixity: ['changed'],
  tagManifest: ['tagManifest'],
  signature: ['signature'],
  fingerprint: ['fingerprint'],
  custody: ['custody'],
  caseJson: ['caseJson'],
};

export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[\s:]/g, '').toLowerCase();
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function emptyReport(): VerifyReport {
  return {
    ok: false,
    case: null,
    version: null,
    fingerprint: null,
    keyKnown: false,
    keyTrust: 'unknown',
    checks: [],
    problems: [],
    warnings: [],
    payloadFiles: 0,
    payloadBytes: 0,
  };
}

function finish(report: VerifyReport): VerifyReport {
  report.checks = (Object.keys(CHECK_KINDS) as Array<VerifyCheck['name']>).map((name) => ({
    name,
    ok: !report.problems.some((p) => CHECK_KINDS[name].includes(p.kind)),
  }));
  report.ok = report.problems.length === 0;
  return report;
}

async function openSource(path: string): Promise<BagSource | { unreadable: string }> {
  const info = await lstat(path).catch(() => null);
  if (!info) throw new AppError('package.unreadable', { path });
  if (info.isDirectory()) return openFolderBag(resolve(path));
  if (!info.isFile()) throw new AppError('package.unreadable', { path });
  try {
    return await openZipBag(path);
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
}

export async function verifyPackage(path: string, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const report = emptyReport();
  const source = await openSource(path);
  if ('unreadable' in source) {
    report.problems.push({ path: '', kind: 'format', detail: `the zip cannot be read: ${source.unreadable}` });
    return finish(report);
  }
  try {
    await new Verification(source, opts, report).run();
  } finally {
    await source.close();
  }
  return finish(report);
}

class Verification {
  private readonly problems: BagProblem[];
  private readonly files: BagSource['files'];
  private done = 0;
  private total = 0;

  constructor(
    private readonly source: BagSource,
    private readonly opts: VerifyOptions,
    private readonly report: VerifyReport,
  ) {
    this.problems = report.problems;
    this.files = source.files;
  }

  private add(kind: BagProblemKind, path: string, detail: string): void {
    this.problems.push({ path, kind, detail });
  }

  private checkAborted(): void {
    if (this.opts.signal?.aborted) throw new VerifyAbortedError();
  }

  /** A small file read whole, or null (with the problem recorded) when it cannot be. */
  private async readSmall(path: string, kind: BagProblemKind, max = MAX_TAG_FILE_BYTES): Promise<Buffer | null> {
    if (!this.files.has(path)) return null;
    try {
      return await this.source.read(path, max);
    } catch (error) {
      const detail = error instanceof TooLargeError ? error.message : `cannot be read: ${(error as Error).message}`;
      this.add(kind, path, detail);
      return null;
    }
  }

  async run(): Promise<void> {
    const { source, files } = this;
    for (const issue of source.issues) this.add('format', issue.path, issue.detail);
    const payloadFiles = [...files.values()].filter((f) => f.path.startsWith('data/'));
    this.report.payloadFiles = payloadFiles.length;
    this.report.payloadBytes = payloadFiles.reduce((a, f) => a + f.size, 0);

    await this.checkBagitTxt();
    const bagInfo = await this.checkBagInfo(payloadFiles.length, this.report.payloadBytes);
    const manifest = await this.readManifest();
    const tagManifest = await this.readTagManifest();
    this.checkCompleteness(manifest, tagManifest);
    this.checkAborted();

    // Read whole before hashing: the same bytes are parsed and hashed, never read twice.
    const caseJsonBytes = manifest.some((e) => e.path === CASE_JSON)
      ? await this.readSmall(CASE_JSON, 'caseJson', MAX_DOCUMENT_BYTES)
      : null;
    const custodyBytes = manifest.some((e) => e.path === CUSTODY_JSONL)
      ? await this.readSmall(CUSTODY_JSONL, 'custody', MAX_DOCUMENT_BYTES)
      : null;
    const inMemory = new Map<string, Buffer>();
    if (caseJsonBytes) inMemory.set(CASE_JSON, caseJsonBytes);
    if (custodyBytes) inMemory.set(CUSTODY_JSONL, custodyBytes);

    await this.checkFixity(manifest, tagManifest, inMemory);
    this.checkAborted();
    const tagManifestBytes = files.has(TAG_MANIFEST_NAME)
      ? await this.readSmall(TAG_MANIFEST_NAME, 'tagManifest')
      : null;
    const key = await this.checkSignature(tagManifestBytes);
    this.checkFingerprint(key, bagInfo);
    this.checkCustody(custodyBytes, manifest);
    this.checkCaseJson(caseJsonBytes, manifest, bagInfo);
  }

  private async checkBagitTxt(): Promise<void> {
    if (!this.files.has(BAGIT_TXT_NAME)) {
      this.add('format', BAGIT_TXT_NAME, 'bagit.txt is missing: this is not a BagIt bag');
      return;
    }
    const bytes = await this.readSmall(BAGIT_TXT_NAME, 'format');
    if (!bytes) return;
    const parsed = parseBagInfo(bytes.toString('utf8'));
    const version = bagInfoValue(parsed, 'BagIt-Version');
    const encoding = bagInfoValue(parsed, 'Tag-File-Character-Encoding');
    if (parsed.malformed.length > 0 || version !== '1.0' || encoding?.toUpperCase() !== 'UTF-8')
      this.add('format', BAGIT_TXT_NAME, 'bagit.txt does not declare BagIt-Version 1.0 with UTF-8 tag files');
  }

  private async checkBagInfo(payloadCount: number, payloadBytes: number): Promise<ParsedBagInfo | null> {
    if (!this.files.has(BAG_INFO_NAME)) {
      this.add('format', BAG_INFO_NAME, 'bag-info.txt is missing');
      return null;
    }
    const bytes = await this.readSmall(BAG_INFO_NAME, 'format');
    if (!bytes) return null;
    const info = parseBagInfo(bytes.toString('utf8'));
    for (const m of info.malformed) this.add('format', BAG_INFO_NAME, `line ${m.line}: ${m.detail}`);
    const oxum = bagInfoValue(info, BAG_INFO.payloadOxum);
    const m = oxum ? /^(\d+)\.(\d+)$/.exec(oxum) : null;
    if (!m) this.add('format', BAG_INFO_NAME, 'Payload-Oxum is missing or not "<octets>.<count>"');
    else if (Number(m[1]) !== payloadBytes || Number(m[2]) !== payloadCount)
      this.add(
        'format',
        BAG_INFO_NAME,
        `Payload-Oxum says ${m[1]} bytes in ${m[2]} files; the payload holds ${payloadBytes} bytes in ${payloadCount} files`,
      );
    const id = bagInfoValue(info, BAG_INFO.externalIdentifier);
    const idMatch = id ? /^(.+) v(\d+)$/.exec(id) : null;
    if (idMatch) {
      this.report.case = idMatch[1]!;
      this.report.version = Number(idMatch[2]) || null;
    }
    return info;
  }

  private async readManifest(): Promise<ManifestEntry[]> {
    if (!this.files.has(MANIFEST_NAME)) {
      this.add('manifest', MANIFEST_NAME, 'manifest-sha256.txt is missing');
      return [];
    }
    const bytes = await this.readSmall(MANIFEST_NAME, 'manifest');
    if (!bytes) return [];
    const parsed = parseManifest(bytes.toString('utf8'));
    for (const m of parsed.malformed) this.add('manifest', MANIFEST_NAME, `line ${m.line}: ${m.detail}`);
    const seen = new Set<string>();
    const entries: ManifestEntry[] = [];
    for (const e of parsed.entries) {
      if (!e.path.startsWith('data/')) {
        this.add('manifest', MANIFEST_NAME, `lists ${JSON.stringify(e.path)}, which is not under data/`);
        continue;
      }
      if (seen.has(e.path)) {
        this.add('manifest', MANIFEST_NAME, `lists ${JSON.stringify(e.path)} twice`);
        continue;
      }
      seen.add(e.path);
      entries.push(e);
    }
    return entries;
  }

  private async readTagManifest(): Promise<ManifestEntry[]> {
    if (!this.files.has(TAG_MANIFEST_NAME)) {
      this.add('tagManifest', TAG_MANIFEST_NAME, 'tagmanifest-sha256.txt is missing');
      return [];
    }
    const bytes = await this.readSmall(TAG_MANIFEST_NAME, 'tagManifest');
    if (!bytes) return [];
    const parsed = parseManifest(bytes.toString('utf8'));
    for (const m of parsed.malformed) this.add('tagManifest', TAG_MANIFEST_NAME, `line ${m.line}: ${m.detail}`);
    const entries: ManifestEntry[] = [];
    const seen = new Set<string>();
    for (const e of parsed.entries) {
      if (e.path.startsWith('data/') || e.path === TAG_MANIFEST_NAME || e.path === SIGNATURE_NAME || seen.has(e.path)) {
        this.add(
          'tagManifest',
          TAG_MANIFEST_NAME,
          `must not list ${JSON.stringify(e.path)}${seen.has(e.path) ? ' twice' : ''}`,
        );
        continue;
      }
      seen.add(e.path);
      entries.push(e);
    }
    for (const required of REQUIRED_TAG_FILES)
      if (!seen.has(required))
        this.add(
          'tagManifest',
          required,
          `${required} is not covered by the tag manifest, so the signature does not cover it`,
        );
    return entries;
  }

  private checkCompleteness(manifest: ManifestEntry[], tagManifest: ManifestEntry[]): void {
    const listed = new Set(manifest.map((e) => e.path));
    const tagListed = new Set(tagManifest.map((e) => e.path));
    for (const e of manifest)
      if (!this.files.has(e.path)) this.add('missing', e.path, 'listed in manifest-sha256.txt but not in the package');
    for (const e of tagManifest)
      if (!this.files.has(e.path))
        this.add('missing', e.path, 'listed in tagmanifest-sha256.txt but not in the package');
    for (const f of this.files.values()) {
      if (f.path.startsWith('data/')) {
        if (!listed.has(f.path)) this.add('extra', f.path, 'a payload file not listed in manifest-sha256.txt');
      } else if (f.path.startsWith('seal/')) {
        // Statements added after sealing (approval, receipts, checkpoints) live here, each signed on
        // its own. None is checked yet, so none may pass as part of what was verified.
        if (f.path !== PUBLIC_KEY_NAME && f.path !== SIGNATURE_NAME)
          this.report.warnings.push(
            `${f.path} is not covered by the package's signature and was not checked: do not rely on what it says.`,
          );
        continue;
      } else if (f.path !== TAG_MANIFEST_NAME && !tagListed.has(f.path)) {
        this.add('extra', f.path, 'a file outside data/ and seal/ not listed in tagmanifest-sha256.txt');
      }
    }
  }

  private async checkFixity(
    manifest: ManifestEntry[],
    tagManifest: ManifestEntry[],
    inMemory: Map<string, Buffer>,
  ): Promise<void> {
    const jobs = [
      ...manifest.map((e) => ({ ...e, kind: 'changed' as const })),
      ...tagManifest.map((e) => ({ ...e, kind: 'tagManifest' as const })),
    ].filter((e) => this.files.has(e.path));
    jobs.sort((a, b) => this.files.get(b.path)!.size - this.files.get(a.path)!.size);
    this.total = jobs.reduce((a, j) => a + this.files.get(j.path)!.size, 0);
    this.progress();
    const pool = new RangeHashPool({ direct: this.opts.directIo ?? false, signal: this.opts.signal });
    try {
      await Promise.all(
        jobs.map(async (job) => {
          const size = this.files.get(job.path)!.size;
          let got: string;
          try {
            got = await this.hashOne(pool, job.path, size, inMemory.get(job.path));
          } catch (error) {
            if (error instanceof RangeHashAbortedError || this.opts.signal?.aborted) throw new VerifyAbortedError();
            this.add(job.kind, job.path, `cannot be read: ${(error as Error).message}`);
            return;
          }
          if (got !== job.sha256)
            this.add(
              job.kind,
              job.path,
              `SHA-256 is ${got}; ${job.kind === 'changed' ? 'manifest-sha256.txt' : 'tagmanifest-sha256.txt'} says ${job.sha256}`,
            );
        }),
      );
    } finally {
      await pool.close();
    }
  }

  private async hashOne(pool: RangeHashPool, path: string, size: number, bytes: Buffer | undefined): Promise<string> {
    let counted = 0;
    const count = (n: number): void => {
      counted += n;
      this.done += n;
      this.progress();
    };
    let result: string;
    if (bytes) {
      result = sha256(bytes);
    } else {
      const range = this.source.rangeOf(path);
      result = range
        ? await pool.hash(range, (b) => count(b - counted))
        : await this.source.hashStream(path, (n) => count(n));
    }
    count(size - counted);
    return result;
  }

  private progress(): void {
    this.opts.onProgress?.(this.done, this.total);
  }

  private async checkSignature(tagManifest: Buffer | null): Promise<KeyObject | null> {
    let key: KeyObject | null = null;
    if (!this.files.has(PUBLIC_KEY_NAME)) {
      this.add('signature', PUBLIC_KEY_NAME, 'the public key is missing');
    } else {
      const pem = await this.readSmall(PUBLIC_KEY_NAME, 'signature');
      if (pem) {
        try {
          key = createPublicKey(pem);
          if (key.asymmetricKeyType !== 'ed25519') {
            this.add('signature', PUBLIC_KEY_NAME, `the key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
            key = null;
          }
        } catch {
          this.add('signature', PUBLIC_KEY_NAME, 'not a PEM public key');
        }
      }
    }
    if (key) this.report.fingerprint = keyFingerprint(key);
    if (!this.files.has(SIGNATURE_NAME)) {
      this.add('signature', SIGNATURE_NAME, 'the signature is missing');
      return key;
    }
    const signature = await this.readSmall(SIGNATURE_NAME, 'signature');
    if (!signature || !key) return key;
    if (signature.length !== SIGNATURE_BYTES) {
      this.add('signature', SIGNATURE_NAME, `${signature.length} bytes; an Ed25519 signature is ${SIGNATURE_BYTES}`);
      return key;
    }
    if (!tagManifest) {
      this.add('signature', SIGNATURE_NAME, 'there is no tag manifest to check the signature against');
      return key;
    }
    if (!verifySignature(null, tagManifest, key, signature))
      this.add('signature', SIGNATURE_NAME, 'the signature does not match tagmanifest-sha256.txt and the public key');
    return key;
  }

  private checkFingerprint(key: KeyObject | null, bagInfo: ParsedBagInfo | null): void {
    const fp = this.report.fingerprint;
    if (!key || !fp) return;
    const declared = bagInfo ? bagInfoValue(bagInfo, BAG_INFO.keyFingerprint) : undefined;
    if (!declared) this.add('fingerprint', BAG_INFO_NAME, 'bag-info.txt names no Station-Key-Fingerprint');
    else if (normalizeFingerprint(declared) !== fp)
      this.add('fingerprint', PUBLIC_KEY_NAME, `the key's fingerprint is ${fp}; bag-info.txt says ${declared}`);

    const { known } = this.opts;
    const expected = this.opts.expectFingerprint ? normalizeFingerprint(this.opts.expectFingerprint) : undefined;
    const trust =
      known?.station === fp
        ? 'station'
        : known?.imported.includes(fp)
          ? 'imported'
          : expected === fp
            ? 'expected'
            : 'unknown';
    this.report.keyTrust = trust;
    this.report.keyKnown = trust === 'station' || trust === 'imported';
    if (expected !== undefined && expected !== fp)
      this.add('fingerprint', PUBLIC_KEY_NAME, `the package is signed by key ${fp}, not the expected ${expected}`);
    else if (known && trust === 'unknown') {
      const refused = known.refused?.find((r) => r.fingerprint === fp);
      this.add(
        'fingerprint',
        PUBLIC_KEY_NAME,
        refused
          ? `the package is signed by key ${fp}, which this station holds but does not vouch for: ${refused.detail}`
          : `the package is signed by key ${fp}, which is neither this station's key nor an imported one`,
      );
    } else if (!known && expected === undefined)
      this.report.warnings.push(
        `The signing key ${fp} is not known here: compare its fingerprint with the one the sealing station shows (key show) or the report prints.`,
      );
    for (const r of known?.refused ?? [])
      this.report.warnings.push(`A key of this station is not vouched for: ${r.detail}`);
  }

  private checkCustody(bytes: Buffer | null, manifest: ManifestEntry[]): void {
    if (!bytes) {
      if (!this.files.has(CUSTODY_JSONL) && !manifest.some((e) => e.path === CUSTODY_JSONL))
        this.add('custody', CUSTODY_JSONL, 'custody.jsonl is missing');
      return;
    }
    const lines = bytes.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((line, i) => {
      const where = `line ${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        this.add('custody', CUSTODY_JSONL, `${where}: not JSON`);
        return;
      }
      const parsed = CustodyLine.safeParse(value);
      if (!parsed.success) {
        this.add('custody', CUSTODY_JSONL, `${where}: not a custody entry`);
        return;
      }
      // The entry exactly as written must hash to its own `hash`: a field changed, added or dropped breaks it.
      const unhashed: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      delete unhashed.hash;
      if (hashCustodyEntry(unhashed as Parameters<typeof hashCustodyEntry>[0]) !== parsed.data.hash)
        this.add('custody', CUSTODY_JSONL, `${where} (seq ${parsed.data.seq}): its hash does not recompute`);
    });
  }

  private checkCaseJson(bytes: Buffer | null, manifest: ManifestEntry[], bagInfo: ParsedBagInfo | null): void {
    if (!bytes) {
      if (!this.files.has(CASE_JSON) && !manifest.some((e) => e.path === CASE_JSON))
        this.add('caseJson', CASE_JSON, 'case.json is missing');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      this.add('caseJson', CASE_JSON, 'not JSON');
      return;
    }
    const parsed = CaseJson.safeParse(value);
    if (!parsed.success) {
      const first = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`);
      this.add('caseJson', CASE_JSON, `not a valid case description (${first.join('; ')})`);
      return;
    }
    const c = parsed.data;
    this.report.case = c.case.number;
    this.report.version = c.case.version;
    const id = bagInfo ? bagInfoValue(bagInfo, BAG_INFO.externalIdentifier) : undefined;
    if (id !== undefined && id !== `${c.case.number} v${c.case.version}`)
      this.add('caseJson', CASE_JSON, `case ${c.case.number} v${c.case.version}; bag-info.txt says ${id}`);
    const head = bagInfo ? bagInfoValue(bagInfo, BAG_INFO.chainHead) : undefined;
    if (head !== undefined && head !== `${c.seal.chainHead.seq} ${c.seal.chainHead.hash}`)
      this.add('caseJson', CASE_JSON, `custody chain head differs from bag-info.txt (${head})`);
    if (this.report.fingerprint && c.seal.keyFingerprint !== this.report.fingerprint)
      this.add(
        'fingerprint',
        CASE_JSON,
        `case.json names key ${c.seal.keyFingerprint}; the package is signed by ${this.report.fingerprint}`,
      );

    const byPath = new Map(manifest.map((e) => [e.path, e]));
    const named = new Set<string>();
    for (const item of c.items) {
      const label = `item ${item.id} (${item.bagPath})`;
      if (named.has(item.bagPath)) this.add('caseJson', item.bagPath, `${label}: named twice in case.json`);
      named.add(item.bagPath);
      const entry = byPath.get(item.bagPath);
      if (!entry) {
        this.add('caseJson', item.bagPath, `${label}: not in manifest-sha256.txt`);
        continue;
      }
      if (entry.sha256 !== item.sha256)
        this.add('caseJson', item.bagPath, `${label}: case.json records ${item.sha256}, the manifest ${entry.sha256}`);
      const file = this.files.get(item.bagPath);
      if (file && file.size !== item.size)
        this.add('caseJson', item.bagPath, `${label}: case.json records ${item.size} bytes, the file has ${file.size}`);
    }
    const itemFiles = new Set([...manifest.map((e) => e.path), ...this.files.keys()]);
    for (const p of itemFiles)
      if (ITEM_FOLDERS.some((f) => p.startsWith(f)) && !named.has(p))
        this.add('caseJson', p, 'an evidence file case.json does not describe');
  }
}
