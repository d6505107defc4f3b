import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../util/canonicalJson';
import { GENESIS_HASH, hashCustodyEntry } from '../custody/custodyLog';
import type { CustodyEntry } from '../../shared/schemas';
import { checkCustodyLines } from './custodyLines';

/** A chain of `n` entries as the station writes them, from seq `from`. */
function chain(from: number, n: number, prev = GENESIS_HASH): CustodyEntry[] {
  const out: CustodyEntry[] = [];
  for (let i = 0; i < n; i++) {
    const unhashed = {
      seq: from + i,
      at: `2026-12-03T01:0${i}:00.000+08:00`,
      actor: 'admin',
      station: 'Station 1',
      action: 'case.update',
      subject: 'case-1',
      sha256: null,
      details: { step: i },
      prev: out.at(-1)?.hash ?? prev,
    };
    out.push({ ...unhashed, hash: hashCustodyEntry(unhashed) });
  }
  return out;
}

const text = (entries: readonly CustodyEntry[]): string => entries.map((e) => `${canonicalJson(e)}\n`).join('');

describe('checkCustodyLines', () => {
  it('accepts the entries about a case: a chain with gaps where other entries were left out', () => {
    const all = chain(1, 6);
    const about = [all[0]!, all[1]!, all[4]!, all[5]!];
    const result = checkCustodyLines(text(about));
    expect(result.problems).toEqual([]);
    expect([...result.hashes.keys()]).toEqual([1, 2, 5, 6]);
  });

  it('finds an edited entry, a broken link and entries out of order', () => {
    const all = chain(1, 4);
    const edited = { ...all[1]!, actor: 'someone-else' };
    expect(checkCustodyLines(text([all[0]!, edited, all[2]!])).problems).toEqual([
      { detail: 'line 2 (seq 2): its hash does not recompute' },
    ]);
    // Entry 3 of another chain recomputes on its own but does not follow entry 2 of this one.
    const foreign = chain(3, 1, 'f'.repeat(64))[0]!;
    expect(checkCustodyLines(text([all[0]!, all[1]!, foreign])).problems).toEqual([
      {
        detail: `line 3 (seq 3): its prev is ${'f'.repeat(64)}, but the entry before it (seq 2) has hash ${all[1]!.hash}`,
      },
    ]);
    expect(checkCustodyLines(text([all[2]!, all[0]!])).problems).toEqual([
      { detail: 'line 2 (seq 1): out of order, after the entry of seq 3' },
    ]);
    expect(checkCustodyLines('{not json}\n').problems).toEqual([{ detail: 'line 1: not JSON' }]);
  });
});
