import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import type { CustodyEntry } from '../../src/shared/schemas';

export interface ChainPoint {
  seq: number;
  hash: string;
}

/**
 * What the station's `case.seal` entry must say for the package committed with it: that it is
 * that entry (it recomputes), that it seals this case, version and tag manifest, and that it
 * comes right after the chain head the package was sealed at (the seal writes it in the same
 * transaction that checks the head has not moved). Returns each disagreement in words.
 */
export function sealEntryProblems(
  entry: CustodyEntry,
  expected: {
    caseId: string | null;
    caseNumber: string;
    version: number;
    tagManifestSha256: string;
    head: ChainPoint | null;
  },
): string[] {
  const problems: string[] = [];
  const { hash, ...unhashed } = entry;
  if (hashCustodyEntry(unhashed) !== hash)
    problems.push(`the case.seal entry (seq ${entry.seq}): its hash does not recompute`);
  if (entry.action !== 'case.seal')
    problems.push(`the seal entry (seq ${entry.seq}) is a ${entry.action} entry, not case.seal`);
  const d = entry.details;
  if (d.number !== expected.caseNumber)
    problems.push(`the case.seal entry names case ${String(d.number)}, not ${expected.caseNumber}`);
  if (d.version !== expected.version)
    problems.push(`the case.seal entry names version ${String(d.version)}, not ${expected.version}`);
  if (d.tagManifestSha256 !== expected.tagManifestSha256)
    problems.push(
      `the case.seal entry names tag manifest ${String(d.tagManifestSha256)}, not ${expected.tagManifestSha256}`,
    );
  if (expected.caseId !== null && entry.subject !== expected.caseId)
    problems.push(`the case.seal entry is about ${String(entry.subject)}; case.json is case ${expected.caseId}`);
  if (expected.head) {
    if (entry.seq !== expected.head.seq + 1 || entry.prev !== expected.head.hash)
      problems.push(
        `the case.seal entry (seq ${entry.seq}, prev ${entry.prev}) does not follow the package's custody chain head (seq ${expected.head.seq}, hash ${expected.head.hash})`,
      );
  }
  return problems;
}

/**
 * The package's custody entries against its chain head: none may come after it, and the entry of
 * the head's own seq, when the package holds it, must be that entry.
 */
export function custodyHeadProblems(entries: readonly CustodyEntry[], head: ChainPoint): string[] {
  const problems: string[] = [];
  for (const e of entries) {
    if (e.seq > head.seq)
      problems.push(`custody.jsonl holds entry ${e.seq}, after the package's custody chain head (seq ${head.seq})`);
    else if (e.seq === head.seq && e.hash !== head.hash)
      problems.push(`custody.jsonl's entry ${e.seq} has hash ${e.hash}; the package's chain head says ${head.hash}`);
  }
  return problems;
}
