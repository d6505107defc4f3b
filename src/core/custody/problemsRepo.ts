import type { CustodyProblem, CustodyProblemKind } from '../../shared/custodySchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/** A problem as found, before it is stored. */
export interface ProblemDraft {
  kind: CustodyProblemKind;
  headSeq: number | null;
  headHash: string | null;
  /** What an unreadable head file held (at most 1000 characters), kept as found. */
  headText: string | null;
  dbSeq: number;
  dbHash: string | null;
  firstSeq: number | null;
  lastSeq: number | null;
}

interface ProblemRow {
  id: number;
  kind: CustodyProblemKind;
  severity: 'problem' | 'note';
  detected_at: string;
  head_seq: number | null;
  head_hash: string | null;
  db_seq: number;
  first_seq: number | null;
  last_seq: number | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
}

export const severityOf = (kind: CustodyProblemKind): 'problem' | 'note' =>
  kind === 'headBehind' ? 'note' : 'problem';

function rowToProblem(r: ProblemRow): CustodyProblem {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    detectedAt: r.detected_at,
    headSeq: r.head_seq,
    headHash: r.head_hash,
    dbSeq: r.db_seq,
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  };
}

/**
 * Stores a problem unless the same one is already stored: the same lost head (removed and later
 * replaced entries are one loss), the same missing or unreadable head at the same chain length,
 * the same gap. Returns the stored problem, or null when it was known.
 */
export function recordProblem(db: WritableDB, draft: ProblemDraft, at: string): CustodyProblem | null {
  const lostHead = draft.kind === 'entriesRemoved' || draft.kind === 'entriesReplaced';
  const known = lostHead
    ? db
        .prepare(
          `SELECT 1 FROM custody_problems WHERE kind IN ('entriesRemoved', 'entriesReplaced')
           AND head_seq IS ? AND head_hash IS ?`,
        )
        .get(draft.headSeq, draft.headHash)
    : db
        .prepare(
          `SELECT 1 FROM custody_problems WHERE kind = ? AND db_seq = ? AND head_seq IS ? AND head_hash IS ?
           AND head_text IS ?`,
        )
        .get(draft.kind, draft.dbSeq, draft.headSeq, draft.headHash, draft.headText);
  if (known) return null;
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO custody_problems (kind, severity, detected_at, head_seq, head_hash, head_text, db_seq, db_hash,
         first_seq, last_seq)
       VALUES (@kind, @severity, @at, @headSeq, @headHash, @headText, @dbSeq, @dbHash, @firstSeq, @lastSeq)`,
    )
    .run({ ...draft, severity: severityOf(draft.kind), at });
  return getProblem(db, Number(lastInsertRowid));
}

export function getProblem(db: ReadableDB, id: number): CustodyProblem | null {
  const row = db.prepare('SELECT * FROM custody_problems WHERE id = ?').get(id) as ProblemRow | undefined;
  return row ? rowToProblem(row) : null;
}

export function listProblems(db: ReadableDB, opts: { open?: boolean } = {}): CustodyProblem[] {
  const where = opts.open ? `WHERE severity = 'problem' AND acknowledged_at IS NULL` : '';
  return (db.prepare(`SELECT * FROM custody_problems ${where} ORDER BY id`).all() as ProblemRow[]).map(rowToProblem);
}

/** Fills in the acknowledgement once; the problem itself stays as found. */
export function acknowledgeProblem(db: WritableDB, id: number, by: string, at: string, seq: number): void {
  db.prepare(
    `UPDATE custody_problems SET acknowledged_at = ?, acknowledged_by = ?, acknowledged_seq = ?
     WHERE id = ? AND acknowledged_at IS NULL`,
  ).run(at, by, seq, id);
}

/** One line in English for reports and the CLI, naming the entries concerned. */
export function describeProblem(p: Pick<CustodyProblem, 'kind' | 'firstSeq' | 'lastSeq' | 'headSeq'>): string {
  const range =
    p.firstSeq === null
      ? ''
      : p.lastSeq === null || p.lastSeq === p.firstSeq
        ? `${p.firstSeq}`
        : `${p.firstSeq}–${p.lastSeq}`;
  switch (p.kind) {
    case 'entriesRemoved':
      return p.firstSeq === p.lastSeq
        ? `custody entry ${range} was removed (the chain head recorded entry ${p.headSeq})`
        : `custody entries ${range} were removed (the chain head recorded entry ${p.headSeq})`;
    case 'entriesReplaced':
      return `custody entry ${range} differs from the recorded chain head: entries were replaced`;
    case 'headMissing':
      return 'the chain head file was missing, so removed newest entries could not be ruled out';
    case 'headUnreadable':
      return 'the chain head file was unreadable, so removed newest entries could not be ruled out';
    case 'headBehind':
      return `custody entries ${range} were written after the chain head was last saved (an interrupted run, or entries added outside the station)`;
  }
}
