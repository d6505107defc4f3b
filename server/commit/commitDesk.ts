import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/core/util/canonicalJson';
import { idempotencyKeyOf, type CommitRequest, type CommitResponse } from '../../src/shared/syncProtocol';
import type { BlobStore } from '../blobs/blobStore';
import type { Sql } from '../db/sql';
import { SyncError } from '../http/syncError';
import { appendReceipt, receiptBySeq, type IssuedReceipt, type ReceiptSigner } from '../receipts/receiptChain';
import { verifyCommit, type CommittingStation } from './verifyCommit';

export interface CommitDeskOptions {
  sql: Sql;
  blobs: BlobStore;
  signer: ReceiptSigner;
  now?: () => Date;
  /** Told of every decision, for the server's log. */
  onDecision?: (decision: {
    idempotencyKey: string;
    verification: 'verified' | 'refused';
    receiptSeq: number | null;
    problems: string[];
  }) => void;
}

interface CommitRow {
  request_sha256: string;
  verification: 'verified' | 'refused';
  receipt_seq: number | null;
  problems: string[] | string;
}

/**
 * `POST /api/v1/commit` behind the signed-request check: one decision per idempotency key. A key
 * seen before answers what it answered then (the same receipt bytes, or the same refusal) when the
 * request is the same, and `commit.conflict` when it is not. A new key: every blob must be one this
 * station delivered (`blob.missing` names the files that are not), then the package is verified
 * from the blobs; a refusal is recorded and final, a package that verifies gets the next receipt
 * of the chain, in the same transaction as its rows.
 */
export class CommitDesk {
  private readonly now: () => Date;

  constructor(private readonly opts: CommitDeskOptions) {
    this.now = opts.now ?? (() => new Date());
  }

  async commit(
    station: CommittingStation & { name: string },
    idempotencyKey: string | undefined,
    request: CommitRequest,
  ): Promise<CommitResponse> {
    const key = idempotencyKeyOf(station.id, request);
    if (idempotencyKey !== key)
      throw new SyncError('request.invalid', `Idempotency-Key ${idempotencyKey ?? '(none)'}; expected ${key}`);
    const requestSha256 = requestHash(request);
    const earlier = await this.decided(this.opts.sql, key);
    if (earlier) return this.answer(earlier, requestSha256);

    // Only blobs this station delivered count: a receipt says what this station sent. A blob only
    // another station sent is refused exactly like one nobody sent, so the refusal tells nothing
    // about other stations' files.
    const hashes = [...new Set(request.files.map((f) => f.sha256))];
    const held = new Set(await this.opts.blobs.heldFor(station.id, hashes));
    const missing = request.files.filter((f) => !held.has(f.sha256));
    if (missing.length > 0)
      throw new SyncError('blob.missing', `${missing.length} of ${request.files.length} files not delivered`, {
        problems: missing.map((f) => `${f.path} (${f.sha256})`),
      });
    // Every blob is read again before a receipt vouches for it: one damaged on the server's disk
    // since it came is moved aside and counts as missing, so the station sends it again.
    const damaged = new Set(await this.opts.blobs.recheck(hashes));
    if (damaged.size > 0)
      throw new SyncError('blob.missing', `${damaged.size} files must be sent again`, {
        problems: request.files.filter((f) => damaged.has(f.sha256)).map((f) => `${f.path} (${f.sha256})`),
      });

    const problems = await verifyCommit(request, station, this.opts.blobs);
    const receivedAt = this.now().toISOString();
    const decided = await this.opts.sql.transaction(async (tx) => {
      // The chain's head row is locked first, whatever the outcome: a second instance deciding the
      // same key waits here, then finds this decision instead of making its own.
      await tx.query('SELECT seq FROM receipt_head WHERE id = 1 FOR UPDATE');
      const raced = await this.decided(tx, key);
      if (raced) return raced;
      let issued: IssuedReceipt | null = null;
      if (problems.length === 0)
        issued = await appendReceipt(
          tx,
          {
            receivedAt,
            stationId: station.id,
            stationKeyFingerprint: station.keyFingerprint,
            caseNumber: request.caseNumber,
            caseVersion: request.version,
            tagManifestSha256: request.tagManifestSha256,
            files: request.files,
            idempotencyKey: key,
          },
          this.opts.signer,
        );
      const verification = issued ? 'verified' : 'refused';
      const receiptSeq = issued?.seq ?? null;
      await tx.query(
        `INSERT INTO commits (idempotency_key, request_sha256, station_id, case_number, case_version,
           tag_manifest_sha256, verification, receipt_seq, problems, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)`,
        [
          key,
          requestSha256,
          station.id,
          request.caseNumber,
          request.version,
          request.tagManifestSha256,
          verification,
          receiptSeq,
          JSON.stringify(problems),
          receivedAt,
        ],
      );
      await tx.query(
        `INSERT INTO received_cases (station_id, case_number, case_version, tag_manifest_sha256, received_at,
           verification, receipt_seq, problems)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`,
        [
          station.id,
          request.caseNumber,
          request.version,
          request.tagManifestSha256,
          receivedAt,
          verification,
          receiptSeq,
          JSON.stringify(problems),
        ],
      );
      return { request_sha256: requestSha256, verification, receipt_seq: receiptSeq, problems } satisfies CommitRow;
    });
    // A receipt the station keeps must never be issued again for something else after a power cut.
    await this.opts.sql.flushToDisk();
    this.opts.onDecision?.({
      idempotencyKey: key,
      verification: decided.verification,
      receiptSeq: decided.receipt_seq,
      problems,
    });
    return this.answer(decided, requestSha256);
  }

  private async decided(sql: Sql, key: string): Promise<CommitRow | null> {
    const [row] = await sql.query<CommitRow>(
      'SELECT request_sha256, verification, receipt_seq, problems FROM commits WHERE idempotency_key = $1',
      [key],
    );
    return row ?? null;
  }

  private async answer(row: CommitRow, requestSha256: string): Promise<CommitResponse> {
    if (row.request_sha256 !== requestSha256)
      throw new SyncError('commit.conflict', 'this idempotency key was used for a different request');
    if (row.verification === 'refused') {
      const problems = typeof row.problems === 'string' ? (JSON.parse(row.problems) as string[]) : row.problems;
      throw new SyncError('commit.refused', `${problems.length} problems`, { problems });
    }
    const receipt = await receiptBySeq(this.opts.sql, Number(row.receipt_seq));
    if (!receipt) throw new Error(`commit names receipt ${String(row.receipt_seq)}, which is not in the chain`);
    return { receipt: receipt.json, signature: receipt.signature.toString('base64') };
  }
}

/**
 * What "the same request" means for an idempotency key: the parsed body in canonical JSON, with
 * the files in path order (the station may list them in any order; the receipt sorts them).
 */
export function requestHash(request: CommitRequest): string {
  const files = [...request.files].sort((a, b) =>
    Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')),
  );
  return createHash('sha256')
    .update(canonicalJson({ ...request, files }))
    .digest('hex');
}
