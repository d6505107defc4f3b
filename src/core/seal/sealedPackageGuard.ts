import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ReadableDB } from '../db/database';
import type { StationLayout } from '../store/layout';
import {
  MANIFEST_NAME,
  PUBLIC_KEY_NAME,
  SIGNATURE_NAME,
  TAG_MANIFEST_NAME,
  parseManifest,
  type ManifestEntry,
} from '../package/bagFormat';
import { packageDir } from './packageStore';

/**
 * Is a sealed package in the store still the one sealed? What the seal fixed is read from the
 * version's `case.seal` custody entry, which is hash-chained and covered by signed checkpoints;
 * the `case_versions` row is a convenience copy anyone with sqlite3 can edit, so it is compared
 * with that entry, never trusted alone. The stored folder is then compared with the sealed tag
 * manifest: the tag manifest hashes to the sealed value, every tag file to its line, and no file
 * is there that the sealed manifests do not name (a statement slipped into `seal/` would
 * otherwise travel to court with every export). Payload files are hashed only when asked
 * (`payload`): the export reads every one anyway while it copies, and `check --rehash` verifies
 * the whole package.
 */

/** What a version's `case.seal` entry fixed. */
export interface VersionSeal {
  caseId: string;
  number: string;
  version: number;
  packageName: string;
  tagManifestSha256: string;
  sealSeq: number;
}

interface SealRow {
  caseId: string;
  number: string;
  version: number;
  packageName: string;
  tag: string;
  sealSeq: number;
  action: string | null;
  subject: string | null;
  details: string | null;
}

const SELECT_SEALS = `SELECT v.case_id AS caseId, c.number, v.version, v.package_name AS packageName,
    v.tag_manifest_sha256 AS tag, v.seal_seq AS sealSeq, e.action, e.subject, e.details
  FROM case_versions v JOIN cases c ON c.id = v.case_id LEFT JOIN custody e ON e.seq = v.seal_seq`;

/** Tag files are a few KiB; anything near this is not the station's. */
const MAX_TAG_FILE_BYTES = 16 * 1024 * 1024;

function parseDetails(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A version row against its seal entry: the seal as the entry states it, and what the row says
 * differently (each a sentence for `check`). `seal` is null when the entry is not this version's seal.
 */
function sealOfRow(r: SealRow): { seal: VersionSeal | null; mismatches: string[] } {
  const label = `${r.number} v${r.version}`;
  const d = parseDetails(r.details);
  if (r.action !== 'case.seal' || r.subject !== r.caseId || d.version !== r.version)
    return { seal: null, mismatches: [`${label}: custody entry ${r.sealSeq} is not the seal of this version`] };
  if (typeof d.tagManifestSha256 !== 'string' || typeof d.packageName !== 'string')
    return { seal: null, mismatches: [`${label}: custody entry ${r.sealSeq} does not name the sealed package`] };
  const mismatches: string[] = [];
  if (d.tagManifestSha256 !== r.tag)
    mismatches.push(`${label}: the version record's tag manifest hash is not the one entry ${r.sealSeq} sealed`);
  if (d.packageName !== r.packageName)
    mismatches.push(
      `${label}: the version record names package ${r.packageName}, entry ${r.sealSeq} sealed ${d.packageName}`,
    );
  return {
    seal: {
      caseId: r.caseId,
      number: r.number,
      version: r.version,
      packageName: d.packageName,
      tagManifestSha256: d.tagManifestSha256,
      sealSeq: r.sealSeq,
    },
    mismatches,
  };
}

/** One version's seal as its custody entry states it, with what its row says differently. */
export function versionSeal(
  db: ReadableDB,
  caseId: string,
  version: number,
): { seal: VersionSeal | null; mismatches: string[] } {
  const row = db.prepare(`${SELECT_SEALS} WHERE v.case_id = ? AND v.version = ?`).get(caseId, version) as
    SealRow | undefined;
  if (!row) return { seal: null, mismatches: [`version ${version} of the case is not sealed`] };
  return sealOfRow(row);
}

/**
 * Every sealed version's seal, plus every disagreement between the version rows and the
 * `case.seal` entries, both ways (a seal entry no row stands for is a version gone missing).
 */
export function allVersionSeals(db: ReadableDB): { seals: VersionSeal[]; mismatches: string[] } {
  const rows = db.prepare(`${SELECT_SEALS} ORDER BY c.number, v.version`).all() as SealRow[];
  const seals: VersionSeal[] = [];
  const mismatches: string[] = [];
  for (const r of rows) {
    const checked = sealOfRow(r);
    if (checked.seal) seals.push(checked.seal);
    mismatches.push(...checked.mismatches);
  }
  const orphans = db
    .prepare(
      `SELECT seq FROM custody WHERE action = 'case.seal'
         AND seq NOT IN (SELECT seal_seq FROM case_versions) ORDER BY seq`,
    )
    .all() as { seq: number }[];
  for (const o of orphans) mismatches.push(`custody entry ${o.seq} seals a version that has no version record`);
  return { seals, mismatches };
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function readSmall(path: string): Promise<Buffer | null> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile() || info.size > MAX_TAG_FILE_BYTES) return null;
  return readFile(path).catch(() => null);
}

/** Every entry below `dir` that is not a folder, by its `/`-separated path, with whether it is a plain file. */
async function listEntries(dir: string): Promise<Array<{ path: string; file: boolean }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => !e.isDirectory())
    .map((e) => ({ path: relative(dir, join(e.parentPath, e.name)).split(sep).join('/'), file: e.isFile() }));
}

/**
 * What is wrong with a stored package against its seal: each a sentence naming the file. Empty
 * when the folder holds exactly the sealed files, its tag files as sealed (and, with `payload`,
 * every payload file as its manifest says).
 */
export async function inspectSealedPackage(
  dir: string,
  tagManifestSha256: string,
  opts: { payload?: boolean; signal?: AbortSignal } = {},
): Promise<string[]> {
  const info = await lstat(dir).catch(() => null);
  if (!info?.isDirectory()) return ['the sealed package folder is missing'];
  const tagBytes = await readSmall(join(dir, TAG_MANIFEST_NAME));
  if (tagBytes === null) return [`${TAG_MANIFEST_NAME} is missing`];
  if (sha256(tagBytes) !== tagManifestSha256) return [`${TAG_MANIFEST_NAME} is not the one sealed`];

  const problems: string[] = [];
  // The tag manifest is the sealed one, so every file it names can be held to its line.
  const tagEntries = parseManifest(tagBytes.toString('utf8')).entries;
  let payloadEntries: ManifestEntry[] = [];
  for (const e of tagEntries) {
    const bytes = await readSmall(join(dir, e.path));
    if (bytes === null) problems.push(`${e.path} is missing or not a plain file`);
    else if (sha256(bytes) !== e.sha256) problems.push(`${e.path} is not the one sealed`);
    else if (e.path === MANIFEST_NAME) payloadEntries = parseManifest(bytes.toString('utf8')).entries;
  }
  if (problems.length > 0) return problems;

  const known = new Set([
    TAG_MANIFEST_NAME,
    SIGNATURE_NAME,
    PUBLIC_KEY_NAME,
    ...tagEntries.map((e) => e.path),
    ...payloadEntries.map((e) => e.path),
  ]);
  const present = await listEntries(dir);
  const seen = new Set<string>();
  for (const e of present) {
    seen.add(e.path);
    if (!known.has(e.path)) problems.push(`${e.path} is not part of the sealed package`);
    else if (!e.file) problems.push(`${e.path} is not a plain file`);
  }
  for (const path of known) if (!seen.has(path)) problems.push(`${path} is missing`);
  if (problems.length > 0 || !opts.payload) return problems;

  for (const e of payloadEntries) {
    if ((await hashFile(join(dir, e.path), opts.signal)) !== e.sha256) problems.push(`${e.path} is not the one sealed`);
  }
  return problems;
}

/** A short account of the problems for a message: the first few, and how many there are. */
function reasonOf(problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${shown}; ${problems.length - 3} more` : shown;
}

/**
 * The folder of the package to export, once it is known to be the one sealed: the version row
 * agrees with its seal entry, and the folder holds exactly the sealed files, its tag files as
 * sealed. Its payload is checked by the export itself (`sourceOfFailedCopy`). Refuses with
 * `package.damaged` otherwise: the station must not send to court what it did not seal.
 */
export async function sealedPackageToExport(
  db: ReadableDB,
  layout: StationLayout,
  v: { caseId: string; number: string; version: number },
): Promise<{ dir: string; seal: VersionSeal }> {
  const { seal, mismatches } = versionSeal(db, v.caseId, v.version);
  const damaged = (problems: string[]) =>
    new AppError('package.damaged', { number: v.number, version: v.version, reason: reasonOf(problems) });
  if (!seal || mismatches.length > 0) throw damaged(mismatches);
  const dir = packageDir(layout, seal.packageName);
  const problems = await inspectSealedPackage(dir, seal.tagManifestSha256);
  if (problems.length > 0) throw damaged(problems);
  return { dir, seal };
}

/**
 * After a copy that did not verify: was the station's own package at fault? The copy reads every
 * payload file of the store on its way to the medium, so a changed byte in the store fails the
 * copy's verification exactly as a bad medium would; only the store can tell them apart, and
 * only on this failure path is it read a second time. Returns `package.damaged` when the store's
 * package no longer matches its seal, else the copy's own failure.
 */
export async function sourceOfFailedCopy(
  found: { dir: string; seal: VersionSeal },
  failure: AppError,
  signal?: AbortSignal,
): Promise<AppError> {
  if (failure.code !== 'export.verifyFailed') return failure;
  let problems: string[];
  try {
    problems = await inspectSealedPackage(found.dir, found.seal.tagManifestSha256, { payload: true, signal });
  } catch (error) {
    if (signal?.aborted) return failure;
    problems = [`the package cannot be read (${(error as Error).message})`];
  }
  if (problems.length === 0) return failure;
  return new AppError(
    'package.damaged',
    { number: found.seal.number, version: found.seal.version, reason: reasonOf(problems) },
    { cause: failure },
  );
}
