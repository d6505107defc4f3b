import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CheckpointStatement, SignedCheckpoint, type CheckpointVerdict } from '../../shared/custodySchemas';
import type { ReadableDB, WritableDB } from '../db/database';
import type { Logger } from '../engineApi';
import { keyFingerprint } from '../keys/fingerprint';
import { writeFileAtomic } from '../store/atomicWrite';
import { canonicalJson } from '../util/canonicalJson';
import { stationTimestamp } from '../util/time';
import { GENESIS_HASH, hashCustodyEntry, lastCustody } from './custodyLog';
import type { CustodyEntry } from '../../shared/schemas';

/**
 * What signs checkpoints: the station's Ed25519 key (the engine's `stationKey` has this shape).
 * `sign` rejects when the key needs a passphrase that is not at hand; the checkpoint then waits.
 */
export interface ChainSigner {
  readonly fingerprint: string;
  readonly publicKeyPem: string;
  sign(data: Buffer): Promise<Buffer>;
}

/** Why a checkpoint was made. */
export type CheckpointReason = 'interval' | 'signOut' | 'seal' | 'export' | 'sync' | 'manual';

/** At least this many entries between two checkpoints. */
export const CHECKPOINT_EVERY = 100;

interface CheckpointRow {
  id: number;
  seq: number;
  hash: string;
  reason: string;
  statement: string;
  signature: string;
}

function rowToSigned(row: CheckpointRow): SignedCheckpoint {
  return {
    statement: CheckpointStatement.parse(JSON.parse(row.statement)),
    statementText: row.statement,
    signature: row.signature,
    reason: row.reason,
  };
}

/**
 * The newest signed checkpoint, for exports and syncs to carry: with it, a copy outside the
 * station proves what the chain was, up to that entry, when it left.
 */
export function latestCheckpoint(db: ReadableDB): SignedCheckpoint | null {
  const row = db.prepare('SELECT * FROM custody_checkpoints ORDER BY id DESC LIMIT 1').get() as
    CheckpointRow | undefined;
  return row ? rowToSigned(row) : null;
}

/**
 * Signs the chain head `{seq, hash, at, stationId}` with the station key: at every sign-out, seal,
 * export and sync (`checkpoint`) and after every `CHECKPOINT_EVERY` entries (`noteHead`). The
 * newest is also written to `custody-checkpoint.json` beside the database. A head is signed only
 * if the entries since the previous checkpoint still verify, so a damaged chain is never vouched for.
 */
export class Checkpointer {
  private queue: Promise<unknown> = Promise.resolve();
  /** After a signing failure (a locked key), the interval waits for another full interval. */
  private retryAfterSeq = 0;

  constructor(
    private readonly opts: {
      db: WritableDB;
      file: string;
      stationId: string;
      now: () => Date;
      log: Logger;
      signer: () => ChainSigner | null;
      every?: number;
    },
  ) {}

  /** After the head file was written: sign when enough entries have passed since the last checkpoint. */
  noteHead(head: { seq: number }): void {
    const every = this.opts.every ?? CHECKPOINT_EVERY;
    const signedSeq = latestCheckpoint(this.opts.db)?.statement.seq ?? 0;
    if (head.seq - signedSeq >= every && head.seq >= this.retryAfterSeq) void this.checkpoint('interval');
  }

  /** Signs the current head now; resolves with the checkpoint, or null when it has to wait. */
  checkpoint(reason: CheckpointReason): Promise<SignedCheckpoint | null> {
    const run = this.queue.then(() => this.signNow(reason));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every checkpoint asked for so far is done. */
  async settled(): Promise<void> {
    await this.queue;
  }

  private async signNow(reason: CheckpointReason): Promise<SignedCheckpoint | null> {
    const { db, log } = this.opts;
    const last = lastCustody(db);
    if (!last) return null;
    const previous = latestCheckpoint(db);
    if (previous && previous.statement.seq === last.seq && previous.statement.hash === last.hash) return previous;
    const signer = this.opts.signer();
    if (!signer) {
      log.info('custody checkpoint waits: no station key is at hand', { reason, seq: last.seq });
      return null;
    }
    const broken = brokenSince(db, previous?.statement.seq ?? 0, previous?.statement.hash ?? GENESIS_HASH, last.seq);
    if (broken !== null) {
      log.error('custody checkpoint refused: the chain does not verify since the last checkpoint', {
        reason,
        firstBroken: broken,
      });
      return null;
    }
    const statement: CheckpointStatement = {
      type: 'evidence-station/custody-checkpoint',
      version: 1,
      stationId: this.opts.stationId,
      seq: last.seq,
      hash: last.hash,
      at: stationTimestamp(this.opts.now()),
      keyFingerprint: signer.fingerprint,
    };
    const statementText = canonicalJson(statement);
    let signature: string;
    try {
      signature = (await signer.sign(Buffer.from(statementText, 'utf8'))).toString('base64');
    } catch (error) {
      this.retryAfterSeq = last.seq + (this.opts.every ?? CHECKPOINT_EVERY);
      log.warn('custody checkpoint waits: the station key could not sign', { reason, error: String(error) });
      return null;
    }
    db.prepare(
      `INSERT INTO custody_checkpoints (seq, hash, at, station_id, reason, key_fingerprint, statement, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      statement.seq,
      statement.hash,
      statement.at,
      statement.stationId,
      reason,
      signer.fingerprint,
      statementText,
      signature,
    );
    const signed: SignedCheckpoint = { statement, statementText, signature, reason };
    await writeFileAtomic(
      this.opts.file,
      `${JSON.stringify({ ...signed, publicKeyPem: signer.publicKeyPem }, null, 2)}\n`,
    );
    log.info('custody checkpoint signed', { reason, seq: statement.seq });
    return signed;
  }
}

/** The first entry after `fromSeq` (whose hash is `fromHash`) up to `toSeq` that does not verify, or null. */
function brokenSince(db: ReadableDB, fromSeq: number, fromHash: string, toSeq: number): number | null {
  let expected = fromSeq + 1;
  let prev = fromHash;
  if (fromSeq > 0) {
    const at = db.prepare('SELECT hash FROM custody WHERE seq = ?').get(fromSeq) as { hash: string } | undefined;
    if (at?.hash !== fromHash) return fromSeq;
  }
  const rows = db
    .prepare('SELECT * FROM custody WHERE seq > ? AND seq <= ? ORDER BY seq')
    .iterate(fromSeq, toSeq) as Iterable<Omit<CustodyEntry, 'details'> & { details: string }>;
  for (const row of rows) {
    const { hash, ...rest } = { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
    if (row.seq !== expected || row.prev !== prev || hashCustodyEntry(rest) !== hash) return expected;
    prev = hash;
    expected++;
  }
  return expected - 1 === toSeq ? null : expected;
}

/** Checks one signed statement: signature by the station key, and its (seq, hash) still in the chain. */
function checkOne(db: ReadableDB, signed: { statementText: string; signature: string }, publicKeyPem: string | null) {
  let statement: CheckpointStatement;
  try {
    statement = CheckpointStatement.parse(JSON.parse(signed.statementText));
  } catch {
    return { seq: 0, problem: 'a checkpoint is not a checkpoint statement', signatureChecked: false };
  }
  if (canonicalJson(statement) !== signed.statementText) {
    return {
      seq: statement.seq,
      problem: `the checkpoint at entry ${statement.seq} is not in canonical form`,
      signatureChecked: false,
    };
  }
  let signatureChecked = false;
  if (publicKeyPem) {
    const key = createPublicKey(publicKeyPem);
    if (statement.keyFingerprint !== keyFingerprint(key)) {
      return {
        seq: statement.seq,
        problem: `the checkpoint at entry ${statement.seq} names another key`,
        signatureChecked,
      };
    }
    const good = verifySignature(
      null,
      Buffer.from(signed.statementText, 'utf8'),
      key,
      Buffer.from(signed.signature, 'base64'),
    );
    if (!good) {
      return {
        seq: statement.seq,
        problem: `the checkpoint at entry ${statement.seq} has a bad signature`,
        signatureChecked,
      };
    }
    signatureChecked = true;
  }
  const at =
    statement.seq === 0
      ? GENESIS_HASH
      : (db.prepare('SELECT hash FROM custody WHERE seq = ?').get(statement.seq) as { hash: string } | undefined)?.hash;
  if (at === undefined) {
    return {
      seq: statement.seq,
      problem: `entry ${statement.seq}, signed in a checkpoint, is missing`,
      signatureChecked,
    };
  }
  if (at !== statement.hash) {
    return {
      seq: statement.seq,
      problem: `entry ${statement.seq} differs from the signed checkpoint`,
      signatureChecked,
    };
  }
  return { seq: statement.seq, problem: null, signatureChecked };
}

/**
 * The file carries the statement twice: `statementText`, the exact signed bytes, and `statement`,
 * the same parsed for readers. Only the text is signed, so the parsed copy is believed only when
 * it says exactly what the text says; an edited copy (a seq moved back) is a named problem.
 */
function unsignedStatementDiffers(signed: SignedCheckpoint): string | null {
  let fromText: unknown;
  try {
    fromText = JSON.parse(signed.statementText);
  } catch {
    return null; // checkOne names an unreadable text
  }
  if (canonicalJson(fromText) === canonicalJson(signed.statement)) return null;
  const parsed = CheckpointStatement.safeParse(fromText);
  const signedSeq = parsed.success ? parsed.data.seq : '?';
  return `the checkpoint file's statement (entry ${signed.statement.seq}) is not the signed statement (entry ${signedSeq})`;
}

/**
 * Checks every stored checkpoint and the checkpoint file: each signature by the station key (when
 * it is at hand), each signed (seq, hash) still in the chain, and the file's checkpoint among the
 * stored ones (checkpoints removed from the database leave the file naming one of them).
 */
export async function verifyCheckpoints(
  db: ReadableDB,
  opts: { publicKeyPem: string | null; file: string },
): Promise<CheckpointVerdict> {
  const failures: { seq: number; problem: string }[] = [];
  let count = 0;
  let verified = 0;
  let newestSeq: number | null = null;
  const rows = db.prepare('SELECT * FROM custody_checkpoints ORDER BY id').all() as CheckpointRow[];
  const texts = new Set<string>();
  for (const row of rows) {
    count++;
    texts.add(row.statement);
    const result = checkOne(db, { statementText: row.statement, signature: row.signature }, opts.publicKeyPem);
    if (result.problem) failures.push({ seq: result.seq, problem: result.problem });
    else {
      if (result.signatureChecked) verified++;
      newestSeq = Math.max(newestSeq ?? 0, result.seq);
    }
  }
  const fileText = await readFile(opts.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (fileText === null) {
    if (count > 0) failures.push({ seq: newestSeq ?? 0, problem: 'the checkpoint file is missing' });
  } else {
    const parsed = SignedCheckpoint.safeParse(
      (() => {
        try {
          return JSON.parse(fileText) as unknown;
        } catch {
          return null;
        }
      })(),
    );
    if (!parsed.success) failures.push({ seq: 0, problem: 'the checkpoint file is unreadable' });
    else {
      const result = checkOne(db, parsed.data, opts.publicKeyPem);
      const readable = unsignedStatementDiffers(parsed.data);
      if (readable !== null) failures.push({ seq: result.seq, problem: readable });
      if (result.problem) failures.push({ seq: result.seq, problem: `checkpoint file: ${result.problem}` });
      else if (!texts.has(parsed.data.statementText)) {
        failures.push({
          seq: result.seq,
          problem: `the checkpoint file signs entry ${result.seq}, a checkpoint the database no longer has`,
        });
      }
    }
  }
  return { count, verified, newestSeq, keyAvailable: opts.publicKeyPem !== null, failures };
}
