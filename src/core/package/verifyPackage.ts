import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { keyFingerprint } from '../keys/fingerprint';
import { AppError } from '../../shared/errors';
import { CheckpointStatement } from '../../shared/custodySchemas';
import { canonicalJson } from '../util/canonicalJson';
import {
  CaseJson,
  type BagProblem,
  type BagProblemKind,
  type VerifyCheck,
  type VerifyReport,
} from '../../shared/sealSchemas';
import { checkApprovalStatement } from './approvalCheck';
import { checkCarriedReceipts } from './receiptCheck';
import {
  APPROVAL_NAME,
  APPROVAL_SIGNATURE_NAME,
  BAG_INFO,
  BAG_INFO_NAME,
  BAGIT_TXT_NAME,
  CHECKPOINT_NAME,
  CHECKPOINT_SIGNATURE_NAME,
  MANIFEST_NAME,
  RECEIPT_FILE,
  RECEIPT_SIGNATURE_FILE,
  SERVER_KEY_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_BYTES,
  SIGNATURE_NAME,
  TAG_MANIFEST_NAME,
  SINGLE_BAG_INFO_LABELS,
  bagInfoValue,
  parseBagInfo,
  repeatedLabels,
  parseManifest,
  type ManifestEntry,
  type ParsedBagInfo,
} from './bagFormat';
import { checkCustodyLines } from './custodyLines';
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
  /**
   * SHA-256 of files of this folder (by their path in the bag) read back from the medium with
   * direct I/O just now by whoever wrote them (the export reads each file back while the next is
   * written): taken as the file's hash instead of reading it a second time. Every other check is
   * made as without it; a file not in the map is read here.
   */
  readBackHashes?: ReadonlyMap<string, string>;
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
const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** A receipt lists every file of the package: bounded like a tag file. */
const MAX_RECEIPT_BYTES = 16 * 1024 * 1024;
/** Hashed on the calling thread (a still, a report): a worker's round trip would cost more. */
const SMALL_FILE_BYTES = 256 * 1024;
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
  checkpoint: ['checkpoint'],
  approval: ['approval'],
  receipt: ['receipt'],
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
    checkpoint: null,
    approval: null,
    receipts: [],
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
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new AppError('package.notFound', { path });
    return null;
  });
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
  const report = await withHashers(opts, async (hashers) => {
    const source = await openSource(path);
    if ('unreadable' in source) {
      const unreadable = emptyReport();
      unreadable.problems.push({ path: '', kind: 'format', detail: `the zip cannot be read: ${source.unreadable}` });
      return unreadable;
    }
    try {
      return await runVerification(source, opts, hashers);
    } finally {
      await source.close();
    }
  });
  return finish(report);
}

/**
 * The same checks on a bag that is neither a folder nor a zip on this machine: the central server
 * verifies a committed package from its blob store this way. The caller opens and closes `source`.
 */
export async function verifyBagSource(source: BagSource, opts: VerifyOptions = {}): Promise<VerifyReport> {
  return finish(await withHashers(opts, (hashers) => runVerification(source, opts, hashers)));
}

async function runVerification(
  source: BagSource,
  opts: VerifyOptions,
  hashers: () => RangeHashPool,
): Promise<VerifyReport> {
  const report = emptyReport();
  await new Verification(source, opts, report, hashers).run();
  return report;
}

async function withHashers(
  opts: VerifyOptions,
  run: (hashers: () => RangeHashPool) => Promise<VerifyReport>,
): Promise<VerifyReport> {
  let pool: RangeHashPool | null = null;
  const hashers = (): RangeHashPool =>
    (pool ??= new RangeHashPool({ direct: opts.directIo ?? false, signal: opts.signal }));
  // Started first, so that the workers boot while this thread lists the bag and parses its tag
  // files: a worker takes tens of milliseconds to start, about what that reading takes. With an
  // export's read-back hashes, only if a file is left to read (it may have hashed them all).
  if (!opts.readBackHashes) hashers();
  let settled = false;
  try {
    const report = await run(hashers);
    settled = true;
    return report;
  } finally {
    // Every hash answered means every worker has closed its file: the threads can end on their
    // own time. Cancelled or failed, the answer waits until they have (a medium may be pulled).
    await (pool as RangeHashPool | null)?.close({ wait: !settled });
  }
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
    private readonly hashers: () => RangeHashPool,
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
    const custodyHashes = this.checkCustody(custodyBytes, manifest);
    this.checkCaseJson(caseJsonBytes, manifest, bagInfo);
    await this.checkCarriedCheckpoint(key, bagInfo, custodyHashes);
    await this.checkCarriedApproval(key, bagInfo, tagManifestBytes);
    await this.checkCarriedReceipts(bagInfo, tagManifestBytes);
  }

  private async checkBagitTxt(): Promise<void> {
    if (!this.files.has(BAGIT_TXT_NAME)) {
      this.add('format', BAGIT_TXT_NAME, 'bagit.txt is missing: this is not a BagIt bag');
      return;
    }
    const bytes = await this.readSmall(BAGIT_TXT_NAME, 'format');
    if (!bytes) return;
    const parsed = parseBagInfo(bytes.toString('utf8'));
    // RFC 8493 §2.1.1: exactly these two lines; a second version or encoding line could be read either way.
    for (const r of repeatedLabels(parsed))
      this.add('format', BAGIT_TXT_NAME, `${r.label} is given ${r.count} times; bagit.txt holds each once`);
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
    const single = new Set(SINGLE_BAG_INFO_LABELS.map((l) => l.toLowerCase()));
    for (const r of repeatedLabels(info)) {
      if (single.has(r.label.toLowerCase()))
        this.add(
          'format',
          BAG_INFO_NAME,
          `${r.label} is given ${r.count} times; it may appear once (which value holds would depend on the reader)`,
        );
      else this.report.warnings.push(`bag-info.txt gives ${r.label} ${r.count} times (RFC 8493 allows this).`);
    }
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
        // its own. The custody checkpoint is checked (checkCarriedCheckpoint); any other may not
        // pass as part of what was verified.
        if (
          ![
            PUBLIC_KEY_NAME,
            SIGNATURE_NAME,
            CHECKPOINT_NAME,
            CHECKPOINT_SIGNATURE_NAME,
            APPROVAL_NAME,
            APPROVAL_SIGNATURE_NAME,
            SERVER_KEY_NAME,
          ].includes(f.path) &&
          !RECEIPT_FILE.test(f.path) &&
          !RECEIPT_SIGNATURE_FILE.test(f.path)
        )
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
    await Promise.all(
      jobs.map(async (job) => {
        const size = this.files.get(job.path)!.size;
        let got: string;
        try {
          got = await this.hashOne(this.hashers, job.path, size, inMemory.get(job.path));
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
  }

  private async hashOne(
    pool: () => RangeHashPool,
    path: string,
    size: number,
    bytes: Buffer | undefined,
  ): Promise<string> {
    let counted = 0;
    const count = (n: number): void => {
      counted += n;
      this.done += n;
      this.progress();
    };
    let result: string;
    // A small file is read and hashed here while the workers hash the large ones, rather than
    // queued behind them; not when the medium itself must be read (direct I/O), which only the
    // workers do, nor when the writer has already read it back.
    const readBack = this.opts.readBackHashes?.get(path);
    const whole =
      bytes ??
      (readBack === undefined && !this.opts.directIo && size <= SMALL_FILE_BYTES
        ? await this.source.read(path, SMALL_FILE_BYTES)
        : undefined);
    if (whole) {
      result = sha256(whole);
    } else if (readBack !== undefined) {
      result = readBack;
    } else {
      const range = this.source.rangeOf(path);
      result = range
        ? await pool().hash(range, (b) => count(b - counted))
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

  /** Checks each custody line; returns the hash of each line that recomputes, by seq. */
  private checkCustody(bytes: Buffer | null, manifest: ManifestEntry[]): Map<number, string> {
    if (!bytes) {
      if (!this.files.has(CUSTODY_JSONL) && !manifest.some((e) => e.path === CUSTODY_JSONL))
        this.add('custody', CUSTODY_JSONL, 'custody.jsonl is missing');
      return new Map();
    }
    const checked = checkCustodyLines(bytes.toString('utf8'));
    for (const p of checked.problems) this.add('custody', CUSTODY_JSONL, p.detail);
    return checked.hashes;
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

  /**
   * The custody checkpoint an export carries (FORMAT.md): the exact signed statement and its raw
   * signature. It must be signed by the package's own key (whose trust is the fingerprint check's
   * question), name the sealing station, and agree with the package: it signs a chain head at or
   * after the package's `Custody-Chain-Head`, the same entry when the seq is the same, and the
   * entry the package's custody.jsonl holds when it holds that seq. A copy without one (exported
   * before checkpoints) is not a problem.
   */
  private async checkCarriedCheckpoint(
    key: KeyObject | null,
    bagInfo: ParsedBagInfo | null,
    custodyHashes: Map<number, string>,
  ): Promise<void> {
    const hasText = this.files.has(CHECKPOINT_NAME);
    const hasSignature = this.files.has(CHECKPOINT_SIGNATURE_NAME);
    if (!hasText && !hasSignature) return;
    if (!hasText) {
      this.add('checkpoint', CHECKPOINT_SIGNATURE_NAME, `a checkpoint signature without ${CHECKPOINT_NAME}`);
      return;
    }
    if (!hasSignature) {
      this.add('checkpoint', CHECKPOINT_NAME, `the checkpoint has no signature (${CHECKPOINT_SIGNATURE_NAME})`);
      return;
    }
    const text = await this.readSmall(CHECKPOINT_NAME, 'checkpoint', MAX_CHECKPOINT_BYTES);
    const signature = await this.readSmall(CHECKPOINT_SIGNATURE_NAME, 'checkpoint', MAX_CHECKPOINT_BYTES);
    if (!text || !signature) return;
    const problemsBefore = this.problems.length;
    let statement: CheckpointStatement;
    try {
      statement = CheckpointStatement.parse(JSON.parse(text.toString('utf8')));
    } catch {
      this.add('checkpoint', CHECKPOINT_NAME, 'not a custody checkpoint statement');
      return;
    }
    // Exactly the bytes the station signs: anything added, reordered or reformatted is not its statement.
    if (canonicalJson(statement) !== text.toString('utf8')) {
      this.add('checkpoint', CHECKPOINT_NAME, 'not a custody checkpoint statement in its signed (canonical) form');
      return;
    }
    const checkpoint = {
      stationId: statement.stationId,
      seq: statement.seq,
      hash: statement.hash,
      at: statement.at,
      keyFingerprint: statement.keyFingerprint,
      verified: false,
    };
    this.report.checkpoint = checkpoint;
    if (signature.length !== SIGNATURE_BYTES)
      this.add(
        'checkpoint',
        CHECKPOINT_SIGNATURE_NAME,
        `${signature.length} bytes; an Ed25519 signature is ${SIGNATURE_BYTES}`,
      );
    else if (!key || !this.report.fingerprint)
      this.add('checkpoint', CHECKPOINT_SIGNATURE_NAME, 'cannot be checked: the package has no usable public key');
    else if (normalizeFingerprint(statement.keyFingerprint) !== this.report.fingerprint)
      this.add(
        'checkpoint',
        CHECKPOINT_NAME,
        `names key ${statement.keyFingerprint}, not the package's key ${this.report.fingerprint}`,
      );
    else if (!verifySignature(null, text, key, signature))
      this.add(
        'checkpoint',
        CHECKPOINT_SIGNATURE_NAME,
        'the signature does not match the checkpoint and the public key',
      );

    const stationId = bagInfo ? bagInfoValue(bagInfo, BAG_INFO.stationId) : undefined;
    if (stationId !== undefined && stationId !== statement.stationId)
      this.add('checkpoint', CHECKPOINT_NAME, `names station ${statement.stationId}; bag-info.txt says ${stationId}`);
    const head = bagInfo ? /^(\d+) ([0-9a-f]{64})$/.exec(bagInfoValue(bagInfo, BAG_INFO.chainHead) ?? '') : null;
    if (head) {
      const headSeq = Number(head[1]);
      if (statement.seq < headSeq)
        this.add(
          'checkpoint',
          CHECKPOINT_NAME,
          `signs custody entry ${statement.seq}, older than the package's chain head (entry ${headSeq})`,
        );
      else if (statement.seq === headSeq && statement.hash !== head[2])
        this.add(
          'checkpoint',
          CHECKPOINT_NAME,
          `signs entry ${statement.seq} with hash ${statement.hash}; the package's chain head is ${head[2]}`,
        );
    }
    const inPackage = custodyHashes.get(statement.seq);
    if (inPackage !== undefined && inPackage !== statement.hash)
      this.add(
        'checkpoint',
        CHECKPOINT_NAME,
        `signs entry ${statement.seq} with hash ${statement.hash}; custody.jsonl has ${inPackage}`,
      );
    checkpoint.verified = this.problems.length === problemsBefore;
  }

  /** The approval an export of an approved version carries (FORMAT.md, `approvalCheck.ts`); none is not a problem. */
  private async checkCarriedApproval(
    key: KeyObject | null,
    bagInfo: ParsedBagInfo | null,
    tagManifest: Buffer | null,
  ): Promise<void> {
    const hasText = this.files.has(APPROVAL_NAME);
    const hasSignature = this.files.has(APPROVAL_SIGNATURE_NAME);
    if (!hasText && !hasSignature) return;
    if (!hasText) {
      this.add('approval', APPROVAL_SIGNATURE_NAME, `an approval signature without ${APPROVAL_NAME}`);
      return;
    }
    if (!hasSignature) {
      this.add('approval', APPROVAL_NAME, `the approval has no signature (${APPROVAL_SIGNATURE_NAME})`);
      return;
    }
    const text = await this.readSmall(APPROVAL_NAME, 'approval', MAX_CHECKPOINT_BYTES);
    const signature = await this.readSmall(APPROVAL_SIGNATURE_NAME, 'approval', MAX_CHECKPOINT_BYTES);
    if (!text || !signature) return;
    const result = checkApprovalStatement({
      text,
      signature,
      key,
      fingerprint: this.report.fingerprint,
      tagManifest,
      caseNumber: this.report.case,
      version: this.report.version,
      stationId: bagInfo ? bagInfoValue(bagInfo, BAG_INFO.stationId) : undefined,
    });
    this.report.approval = result.approval;
    for (const p of result.problems) this.add('approval', p.path, p.detail);
  }

  /** The central server's receipts an export carries (FORMAT.md, `receiptCheck.ts`); none is not a problem. */
  private async checkCarriedReceipts(bagInfo: ParsedBagInfo | null, tagManifest: Buffer | null): Promise<void> {
    const seqs = new Set<number>();
    for (const path of this.files.keys()) {
      const m = RECEIPT_FILE.exec(path) ?? RECEIPT_SIGNATURE_FILE.exec(path);
      if (m) seqs.add(Number(m[1]));
    }
    if (seqs.size === 0 && !this.files.has(SERVER_KEY_NAME)) return;
    const receipts = new Map<number, { text: Buffer | null; signature: Buffer | null }>();
    for (const seq of seqs) {
      const text = await this.readSmall(`seal/receipt-${seq}.json`, 'receipt', MAX_RECEIPT_BYTES);
      const signature = await this.readSmall(`seal/receipt-${seq}.json.sig`, 'receipt', MAX_CHECKPOINT_BYTES);
      receipts.set(seq, { text, signature });
    }
    const result = checkCarriedReceipts({
      receipts,
      serverKey: await this.readSmall(SERVER_KEY_NAME, 'receipt', MAX_CHECKPOINT_BYTES),
      tagManifest,
      caseNumber: this.report.case,
      version: this.report.version,
      stationKeyFingerprint: this.report.fingerprint,
      stationId: bagInfo ? bagInfoValue(bagInfo, BAG_INFO.stationId) : undefined,
    });
    this.report.receipts = result.receipts;
    for (const p of result.problems) this.add('receipt', p.path, p.detail);
  }
}
