import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { BAG_INFO } from '../../src/core/package/bagFormat';
import { writeBag, type BagSigner, type PayloadSource, type WriteBagResult } from '../../src/core/package/bagWriter';
import { payloadNames } from '../../src/core/package/payloadNames';
import type { CaseJson, PackageItem } from '../../src/shared/sealSchemas';
import type { CustodyEntry } from '../../src/shared/schemas';

/**
 * Court packages for tests, written with the real `writeBag` from generated files: two originals,
 * a clip and a still with awkward names, a valid `case.json`, a `custody.jsonl` whose entries
 * each recompute, and stand-ins for the report. Shared by the package and the seal tests.
 */

export interface TestKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
  signer: BagSigner;
}

/** A fresh Ed25519 station key. */
export function makeTestKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fingerprint = keyFingerprint(publicKeyPem);
  return {
    privateKey,
    publicKeyPem,
    fingerprint,
    signer: { publicKeyPem, fingerprint, sign: (data) => Promise.resolve(sign(null, data, privateKey)) },
  };
}

export interface TestBagOptions {
  key?: TestKey;
  /** Sizes of the two originals in bytes (default 300 KB and 70 KB). */
  originalBytes?: [number, number];
  caseNumber?: string;
  version?: number;
  /** Use these files as the two originals instead of generated ones (large files for the bench). */
  originalFiles?: [SourceFile, SourceFile];
  /** Hard-link the originals into the bag (writeBag's `linkSources`, as the seal does). */
  linkSources?: boolean;
}

export interface SourceFile {
  file: string;
  sha256: string;
  size: number;
}

export interface TestBag extends WriteBagResult {
  dir: string;
  key: TestKey;
  caseJson: CaseJson;
  custody: CustodyEntry[];
  /** Bag paths of the payload files by role. */
  paths: { originals: string[]; clip: string; still: string };
}

const SEALED_AT = '2026-03-14T09:30:00+08:00';

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function custodyChain(caseId: string, itemIds: string[]): CustodyEntry[] {
  const entries: CustodyEntry[] = [];
  let prev = '0'.repeat(64);
  const actions: Array<[string, string]> = [
    ...itemIds.map((id): [string, string] => ['item.import', id]),
    ['case.create', caseId],
    ...itemIds.map((): [string, string] => ['case.addItem', caseId]),
  ];
  actions.forEach(([action, subject], i) => {
    const unhashed = {
      seq: i + 1,
      prev,
      at: `2026-03-14T0${Math.min(9, i)}:00:00+08:00`,
      actor: 'reviewer1',
      station: 'station-test',
      action,
      subject,
      sha256: null,
      details: { note: '测试 entry' },
    };
    const entry: CustodyEntry = { ...unhashed, hash: hashCustodyEntry(unhashed) };
    entries.push(entry);
    prev = entry.hash;
  });
  return entries;
}

function data(bytes: Buffer): SourceFile {
  return { file: '', sha256: sha256(bytes), size: bytes.length };
}

function item(
  id: string,
  origin: PackageItem['origin'],
  file: SourceFile,
  originalName: string,
  bagPath: string,
  source: string | null,
): PackageItem {
  return {
    id,
    origin,
    sha256: file.sha256,
    size: file.size,
    originalName,
    bagPath,
    media: { kind: origin === 'still' ? 'photo' : 'video' },
    recordedAt: '2026-03-14T08:00:00+08:00',
    recordedAtSource: origin === 'original' ? 'container' : 'derived',
    timeProvenance: {},
    deviceId: 'DSJ-001',
    officerId: '0420',
    gps: null,
    importedAt: '2026-03-14T08:30:00+08:00',
    importedBy: 'reviewer1',
    derivation: source
      ? { sourceSha256: source, mode: 'copy', fromSec: 1, toSec: origin === 'clip' ? 2 : null, provenance: {} }
      : null,
    tags: [],
    addedToCaseBy: 'reviewer1',
    addedToCaseAt: '2026-03-14T09:00:00+08:00',
  };
}

/**
 * Writes a complete, valid test package at `dir` (which must not exist); its source files go to
 * `<dir>.src`. Returns what a test needs to tamper with it precisely.
 */
export async function makeTestBag(dir: string, opts: TestBagOptions = {}): Promise<TestBag> {
  const key = opts.key ?? makeTestKey();
  const caseNumber = opts.caseNumber ?? 'ZF-2026-00012';
  const version = opts.version ?? 1;
  const [aBytes, bBytes] = opts.originalBytes ?? [300_000, 70_000];
  const src = `${dir}.src`;
  await mkdir(src, { recursive: true });
  const given = opts.originalFiles;
  const originals = given ? [Buffer.alloc(0), Buffer.alloc(0)] : [randomBytes(aBytes), randomBytes(bBytes)];
  const facts = (i: number): SourceFile =>
    given?.[i] ?? { file: '', sha256: sha256(originals[i]!), size: originals[i]!.length };
  const clip = randomBytes(40_000);
  const still = randomBytes(9_000);
  const originalNames = ['执法记录 CON.mp4', 'FILE0001.MP4'];
  const [o1, o2] = payloadNames(originalNames).map((n) => `data/originals/${n}`);
  const [clipName] = payloadNames(['clip 1-2s.mp4']);
  const [stillName] = payloadNames(['still@1s.jpg']);
  const clipPath = `data/clips/${clipName}`;
  const stillPath = `data/stills/${stillName}`;
  const files: Array<[string, Buffer]> = [
    [o1!, originals[0]!],
    [o2!, originals[1]!],
    [clipPath, clip],
    [stillPath, still],
  ];
  const payload: PayloadSource[] = [];
  for (const [i, [bagPath, data]] of files.entries()) {
    if (given && i < 2) {
      payload.push({ bagPath, file: given[i]!.file, sha256: given[i]!.sha256 });
      continue;
    }
    const file = join(src, `src-${i}.bin`);
    await writeFile(file, data);
    payload.push({ bagPath, file, sha256: sha256(data) });
  }
  const itemIds = ['item-1', 'item-2', 'item-3', 'item-4'];
  const custody = custodyChain('case-1', itemIds);
  const head = custody.at(-1)!;
  const caseJson: CaseJson = {
    format: 'evidence-station/case',
    formatVersion: 1,
    case: {
      id: 'case-1',
      number: caseNumber,
      version,
      title: '无证经营 test case',
      place: '某市某区',
      occurredAt: '2026-03-13T15:00:00+08:00',
      parties: [{ kind: 'business', name: '某某商店', detail: '' }],
      notes: '',
      createdBy: 'reviewer1',
      createdAt: '2026-03-14T08:45:00+08:00',
    },
    seal: {
      sealedBy: 'reviewer1',
      sealedAt: SEALED_AT,
      stationId: 'station-test',
      stationName: 'Test station',
      office: '某市市场监督管理局',
      keyFingerprint: key.fingerprint,
      chainHead: { seq: head.seq, hash: head.hash },
      previousVersion: null,
    },
    items: [
      item('item-1', 'original', facts(0), originalNames[0]!, o1!, null),
      item('item-2', 'original', facts(1), originalNames[1]!, o2!, null),
      item('item-3', 'clip', data(clip), 'clip 1-2s.mp4', clipPath, facts(0).sha256),
      item('item-4', 'still', data(still), 'still@1s.jpg', stillPath, facts(0).sha256),
    ],
    software: { name: 'evidence-station', version: '0.1.0-test', ffmpeg: null },
  };
  payload.push(
    { bagPath: 'data/case.json', bytes: Buffer.from(`${JSON.stringify(caseJson, null, 2)}\n`) },
    { bagPath: 'data/custody.jsonl', bytes: Buffer.from(custody.map((e) => `${JSON.stringify(e)}\n`).join('')) },
    { bagPath: 'data/report.pdf', bytes: Buffer.from('%PDF-1.7\n% test report stand-in\n%%EOF\n') },
    { bagPath: 'data/report.html', bytes: Buffer.from('<!doctype html><title>report</title><p>报告</p>\n') },
  );
  const result = await writeBag({
    dir,
    payload,
    bagInfo: [
      [BAG_INFO.sourceOrganization, caseJson.seal.office],
      [BAG_INFO.baggingDate, '2026-03-14'],
      [BAG_INFO.externalIdentifier, `${caseNumber} v${version}`],
      [BAG_INFO.stationId, 'station-test'],
      [BAG_INFO.keyFingerprint, key.fingerprint],
      [BAG_INFO.sealedBy, 'reviewer1'],
      [BAG_INFO.chainHead, `${head.seq} ${head.hash}`],
    ],
    signer: key.signer,
    linkSources: opts.linkSources,
  });
  return { ...result, dir, key, caseJson, custody, paths: { originals: [o1!, o2!], clip: clipPath, still: stillPath } };
}

/* ---------- tampering, for the verify tests ---------- */

/** Flips one bit of one byte of a file in the bag (by default in its middle). */
export async function flipByte(bagDir: string, path: string, offset?: number): Promise<void> {
  const file = join(bagDir, path);
  const data = await readFile(file);
  const at = offset ?? Math.floor(data.length / 2);
  data[at] = data[at]! ^ 0x01;
  await writeFile(file, data);
}

/** Rewrites the manifest line of `path` (in `manifest`) to the file's present hash, as a forger would. */
export async function rehashManifestLine(bagDir: string, manifest: string, path: string): Promise<void> {
  const file = join(bagDir, manifest);
  const hash = sha256(await readFile(join(bagDir, path)));
  const lines = (await readFile(file, 'utf8')).split('\n');
  const i = lines.findIndex((l) => l.slice(66) === path);
  if (i < 0) throw new Error(`${path} is not in ${manifest}`);
  lines[i] = `${hash}  ${path}`;
  await writeFile(file, lines.join('\n'));
}

/**
 * Recomputes the tag manifest from the files it lists and signs it again with `key`, writing
 * `key`'s public key into the bag: what someone holding another key would do to pass a forged
 * package off as sealed.
 */
export async function resign(bagDir: string, key: TestKey): Promise<void> {
  await writeFile(join(bagDir, 'seal/station.pub.pem'), key.publicKeyPem);
  const lines = (await readFile(join(bagDir, 'tagmanifest-sha256.txt'), 'utf8')).trim().split('\n');
  const rebuilt: string[] = [];
  for (const line of lines) {
    const path = line.slice(66);
    rebuilt.push(`${sha256(await readFile(join(bagDir, path)))}  ${path}\n`);
  }
  const tagManifest = Buffer.from(rebuilt.join(''));
  await writeFile(join(bagDir, 'tagmanifest-sha256.txt'), tagManifest);
  await writeFile(join(bagDir, 'seal/tagmanifest-sha256.txt.sig'), sign(null, tagManifest, key.privateKey));
}
