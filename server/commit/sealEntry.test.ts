import { describe, expect, it } from 'vitest';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import type { CustodyEntry } from '../../src/shared/schemas';
import { custodyHeadProblems, sealEntryProblems } from './sealEntry';

const head = { seq: 41, hash: 'a'.repeat(64) };
const tagManifestSha256 = 'b'.repeat(64);

function sealEntry(over: Partial<Omit<CustodyEntry, 'hash'>> = {}): CustodyEntry {
  const unhashed = {
    seq: 42,
    at: '2026-12-03T03:00:00.000+08:00',
    actor: 'reviewer',
    station: 'Station 1',
    action: 'case.seal',
    subject: 'case-1',
    sha256: null,
    details: { number: 'ZF-2026-00001', version: 2, tagManifestSha256 },
    prev: head.hash,
    ...over,
  };
  return { ...unhashed, hash: hashCustodyEntry(unhashed) };
}

const expected = { caseId: 'case-1', caseNumber: 'ZF-2026-00001', version: 2, tagManifestSha256, head };

describe('sealEntryProblems', () => {
  it('accepts the entry that seals this package right after its chain head', () => {
    expect(sealEntryProblems(sealEntry(), expected)).toEqual([]);
  });

  it('names each way an entry fails to seal this package', () => {
    expect(sealEntryProblems({ ...sealEntry(), actor: 'edited' }, expected)).toEqual([
      'the case.seal entry (seq 42): its hash does not recompute',
    ]);
    expect(sealEntryProblems(sealEntry({ action: 'case.update' }), expected)).toEqual([
      'the seal entry (seq 42) is a case.update entry, not case.seal',
    ]);
    expect(
      sealEntryProblems(sealEntry({ details: { number: 'ZF-2026-00001', version: 1, tagManifestSha256 } }), expected),
    ).toEqual(['the case.seal entry names version 1, not 2']);
    expect(
      sealEntryProblems(
        sealEntry({ details: { number: 'ZF-2026-00001', version: 2, tagManifestSha256: 'c'.repeat(64) } }),
        expected,
      ),
    ).toEqual([`the case.seal entry names tag manifest ${'c'.repeat(64)}, not ${tagManifestSha256}`]);
    expect(sealEntryProblems(sealEntry({ subject: 'case-2' }), expected)).toEqual([
      'the case.seal entry is about case-2; case.json is case case-1',
    ]);
    expect(sealEntryProblems(sealEntry({ seq: 50 }), expected)).toEqual([
      `the case.seal entry (seq 50, prev ${head.hash}) does not follow the package's custody chain head (seq 41, hash ${head.hash})`,
    ]);
  });
});

describe('custodyHeadProblems', () => {
  it('refuses entries after the head and a different entry at the head', () => {
    const at = (seq: number, hash: string) => ({ ...sealEntry(), seq, hash });
    expect(custodyHeadProblems([at(40, 'c'.repeat(64)), at(41, head.hash)], head)).toEqual([]);
    expect(custodyHeadProblems([at(41, 'c'.repeat(64)), at(43, 'd'.repeat(64))], head)).toEqual([
      `custody.jsonl's entry 41 has hash ${'c'.repeat(64)}; the package's chain head says ${head.hash}`,
      "custody.jsonl holds entry 43, after the package's custody chain head (seq 41)",
    ]);
  });
});
