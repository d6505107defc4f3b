import { CustodyLine } from '../../shared/sealSchemas';
import { hashCustodyEntry } from '../custody/custodyLog';

/**
 * The checks on a package's `data/custody.jsonl` that need nothing but its text, shared by the
 * station's `verify` and the central server's commit check. The file holds the entries about the
 * case and its items, in chain order: not the whole chain, so an entry links to the one before it
 * in the file only when their seqs are consecutive.
 */

export interface CustodyLineProblem {
  /** `line N` or `line N (seq S)`, then what is wrong. */
  detail: string;
}

export interface CustodyLinesResult {
  problems: CustodyLineProblem[];
  /** Each line that parses and whose hash recomputes, in file order. */
  entries: CustodyLine[];
  /** The hash of each of those lines, by seq. */
  hashes: Map<number, string>;
}

export function checkCustodyLines(text: string): CustodyLinesResult {
  const problems: CustodyLineProblem[] = [];
  const entries: CustodyLine[] = [];
  const hashes = new Map<number, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let before: CustodyLine | null = null;
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ detail: `${where}: not JSON` });
      return;
    }
    const parsed = CustodyLine.safeParse(value);
    if (!parsed.success) {
      problems.push({ detail: `${where}: not a custody entry` });
      return;
    }
    const entry = parsed.data;
    const at = `${where} (seq ${entry.seq})`;
    // The entry exactly as written must hash to its own `hash`: a field changed, added or dropped breaks it.
    const unhashed: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete unhashed.hash;
    if (hashCustodyEntry(unhashed as Parameters<typeof hashCustodyEntry>[0]) !== entry.hash) {
      problems.push({ detail: `${at}: its hash does not recompute` });
      return;
    }
    if (before && entry.seq <= before.seq)
      problems.push({ detail: `${at}: out of order, after the entry of seq ${before.seq}` });
    else if (before && entry.seq === before.seq + 1 && entry.prev !== before.hash)
      problems.push({
        detail: `${at}: its prev is ${entry.prev}, but the entry before it (seq ${before.seq}) has hash ${before.hash}`,
      });
    entries.push(entry);
    hashes.set(entry.seq, entry.hash);
    before = entry;
  });
  return { problems, entries, hashes };
}
