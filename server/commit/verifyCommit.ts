import {
  BAG_INFO,
  BAG_INFO_NAME,
  TAG_MANIFEST_NAME,
  bagInfoValue,
  parseBagInfo,
} from '../../src/core/package/bagFormat';
import { checkCustodyLines } from '../../src/core/package/custodyLines';
import { verifyBagSource } from '../../src/core/package/verifyPackage';
import { CaseJson } from '../../src/shared/sealSchemas';
import type { CommitRequest } from '../../src/shared/syncProtocol';
import type { BlobStore } from '../blobs/blobStore';
import { openBlobBag, storedHashes } from './blobBag';
import { custodyHeadProblems, sealEntryProblems, type ChainPoint } from './sealEntry';

/** The enrolled station a commit comes from. */
export interface CommittingStation {
  id: string;
  keyFingerprint: string;
}

const CASE_JSON = 'data/case.json';
const CUSTODY_JSONL = 'data/custody.jsonl';
const MAX_DOCUMENT_BYTES = 64 * 1024 * 1024;

/**
 * Every check a commit must pass, made from the blobs alone (server/PROTOCOL.md, "Commit and
 * receipt"): the station's own verifier run over the blob store (manifests, completeness,
 * signature, key, custody lines, case.json), with the enrolled key as the only key it accepts,
 * then what only the server can check: the commit names the package it sends, from the station it
 * comes from, and the station's `case.seal` entry seals exactly this package. Returns the problems
 * in words; none means the package verifies. Every blob must be held (the caller checks first).
 */
export async function verifyCommit(
  request: CommitRequest,
  station: CommittingStation,
  blobs: Pick<BlobStore, 'pathOf' | 'sizes'>,
): Promise<string[]> {
  const problems: string[] = [];
  const sizes = await blobs.sizes(request.files.map((f) => f.sha256));
  for (const f of request.files) {
    const size = sizes.get(f.sha256);
    if (size === undefined) throw new Error(`blob ${f.sha256} is not held: check before verifying`);
    if (size !== f.size) problems.push(`${f.path}: the commit says ${f.size} bytes; its blob holds ${size}`);
  }
  const byPath = new Map(request.files.map((f) => [f.path, f]));
  const tagManifest = byPath.get(TAG_MANIFEST_NAME);
  if (!tagManifest) problems.push(`${TAG_MANIFEST_NAME} is not among the files`);
  else if (tagManifest.sha256 !== request.tagManifestSha256)
    problems.push(
      `${TAG_MANIFEST_NAME} hashes to ${tagManifest.sha256}; the commit names tag manifest ${request.tagManifestSha256}`,
    );

  const source = openBlobBag(`${request.caseNumber}-v${request.version}`, request.files, {
    pathOf: (sha256) => blobs.pathOf(sha256),
    sizeOf: (sha256) => sizes.get(sha256) ?? 0,
  });
  // Each blob was hashed when it was stored and is named by that hash: its bytes are the file's.
  const report = await verifyBagSource(source, {
    expectFingerprint: station.keyFingerprint,
    readBackHashes: storedHashes(request.files),
  });
  for (const p of report.problems)
    problems.push(p.path ? `${p.kind}: ${p.path}: ${p.detail}` : `${p.kind}: ${p.detail}`);
  if (report.case !== null && report.case !== request.caseNumber)
    problems.push(`the package is case ${report.case}; the commit names ${request.caseNumber}`);
  if (report.version !== null && report.version !== request.version)
    problems.push(`the package is version ${report.version}; the commit names ${request.version}`);

  const bagInfo = byPath.has(BAG_INFO_NAME)
    ? parseBagInfo((await source.read(BAG_INFO_NAME, MAX_DOCUMENT_BYTES)).toString('utf8'))
    : null;
  const stationId = bagInfo ? bagInfoValue(bagInfo, BAG_INFO.stationId) : undefined;
  if (stationId !== station.id)
    problems.push(`bag-info.txt names station ${stationId ?? '(none)'}; the commit comes from station ${station.id}`);
  const head = parseChainPoint(bagInfo ? bagInfoValue(bagInfo, BAG_INFO.chainHead) : undefined);
  if (!head) problems.push('bag-info.txt has no Custody-Chain-Head "<seq> <hash>"');

  if (byPath.has(CUSTODY_JSONL) && head) {
    const custody = checkCustodyLines((await source.read(CUSTODY_JSONL, MAX_DOCUMENT_BYTES)).toString('utf8'));
    problems.push(...custodyHeadProblems(custody.entries, head));
  }
  problems.push(
    ...sealEntryProblems(request.sealEntry, {
      caseId: byPath.has(CASE_JSON) ? await caseIdOf(source.read(CASE_JSON, MAX_DOCUMENT_BYTES)) : null,
      caseNumber: request.caseNumber,
      version: request.version,
      tagManifestSha256: request.tagManifestSha256,
      head,
    }),
  );
  return problems;
}

function parseChainPoint(value: string | undefined): ChainPoint | null {
  const m = value ? /^(\d+) ([0-9a-f]{64})$/.exec(value) : null;
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/** case.json's case id, or null when it cannot be read (the verifier has said why). */
async function caseIdOf(bytes: Promise<Buffer>): Promise<string | null> {
  try {
    const parsed = CaseJson.safeParse(JSON.parse((await bytes).toString('utf8')));
    return parsed.success ? parsed.data.case.id : null;
  } catch {
    return null;
  }
}
