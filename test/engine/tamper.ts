import Database from 'better-sqlite3';
import { join } from 'node:path';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import type { CustodyEntry } from '../../src/shared/schemas';

/**
 * Tampering the way someone holding the database file would: a connection of their own, foreign
 * keys off, the append-only triggers dropped, the change made, the triggers put back, so that the
 * database looks untouched to anything that reads its schema.
 */
export function tamper(dataDir: string, fn: (db: Database.Database) => void): void {
  const db = new Database(join(dataDir, 'station.db'));
  try {
    db.pragma('foreign_keys = OFF');
    const triggers = db
      .prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND sql LIKE '%RAISE(ABORT%'`)
      .all() as { name: string; sql: string }[];
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    try {
      fn(db);
    } finally {
      for (const t of triggers) db.exec(t.sql);
    }
  } finally {
    db.close();
  }
}

type Row = Omit<CustodyEntry, 'details'> & { details: string };

/** The newest seq of the chain, read in a connection of its own. */
export function newestSeq(dataDir: string): number {
  const db = new Database(join(dataDir, 'station.db'), { readonly: true });
  try {
    return (db.prepare('SELECT coalesce(max(seq), 0) AS n FROM custody').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Appends entries that chain correctly, outside the engine: what a crash between commit and head write leaves. */
export function appendOutside(db: Database.Database, count: number): number[] {
  const seqs: number[] = [];
  for (let i = 0; i < count; i++) {
    const last = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const unhashed = {
      seq: last.seq + 1,
      prev: last.hash,
      at: '2026-03-01T09:30:00.000+08:00',
      actor: 'admin',
      station: 'station',
      action: 'settings.update',
      subject: null,
      sha256: null,
      details: { changed: ['lockAfterMinutes'] },
    };
    const hash = hashCustodyEntry(unhashed);
    db.prepare(
      `INSERT INTO custody (seq, at, actor, station, action, subject, sha256, details, prev, hash)
       VALUES (@seq, @at, @actor, @station, @action, @subject, @sha256, @details, @prev, @hash)`,
    ).run({ ...unhashed, details: JSON.stringify(unhashed.details), hash });
    seqs.push(unhashed.seq);
  }
  return seqs;
}

/**
 * Rewrites the whole chain as a careful forger would: `edit` changes each entry, every hash and
 * link is recomputed, so the chain itself verifies. Returns the new newest head.
 */
export function rewriteChain(db: Database.Database, edit: (entry: Row) => Row): { seq: number; hash: string } {
  const rows = db.prepare('SELECT * FROM custody ORDER BY seq').all() as Row[];
  let prev = '0'.repeat(64);
  let head = { seq: 0, hash: prev };
  const update = db.prepare(
    'UPDATE custody SET actor = @actor, details = @details, prev = @prev, hash = @hash WHERE seq = @seq',
  );
  for (const original of rows) {
    const edited = { ...edit(original), prev };
    const { hash: _old, ...rest } = edited;
    const hash = hashCustodyEntry({ ...rest, details: JSON.parse(rest.details) as Record<string, unknown> });
    update.run({ ...edited, hash });
    prev = hash;
    head = { seq: edited.seq, hash };
  }
  return head;
}
