import { z } from 'zod';
import { CustodyEntry } from './schemas';

/**
 * The wire between a station and the central server (server/PROTOCOL.md says what each part
 * means). Both sides parse every body with these schemas, so a field one side renames is refused
 * at the other side's boundary instead of read as missing.
 */

export const PROTOCOL_VERSION = 1;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const stationId = z.string().min(1).max(200);

/** The enrolment code: one-time part, then the server key's fingerprint, so the station can pin it. */
export const ENROL_CODE = /^ES1-([A-Z2-7]{26})-([0-9a-f]{64})$/;

export function parseEnrolCode(code: string): { secret: string; serverKeyFingerprint: string } | null {
  const m = ENROL_CODE.exec(code.trim());
  return m ? { secret: m[1]!, serverKeyFingerprint: m[2]! } : null;
}

export const EnrolRequest = z.object({
  code: z.string().regex(ENROL_CODE),
  stationId,
  stationName: z.string().min(1).max(200),
  publicKeyPem: z.string().min(1).max(4096),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({ stationId, serverKeyFingerprint: sha256 });
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const NonceRequest = z.object({ stationId });
export const NonceResponse = z.object({ nonce: z.string().regex(/^[0-9a-f]{64}$/) });

/**
 * `POST /api/v1/station` (signed, body `{}`): the station's own enrolment as the server sees it.
 * A station uses it to check, with one signed round trip, that the server knows and accepts it.
 */
export const StationStatusRequest = z.object({}).strict();
export const StationStatusResponse = z.object({
  stationId,
  stationName: z.string(),
  keyFingerprint: sha256,
  enrolledAt: z.string(),
  serverKeyFingerprint: sha256,
  serverTime: z.string(),
});
export type StationStatusResponse = z.infer<typeof StationStatusResponse>;

/** Which of these blobs the server holds as delivered by the asking station (never another's). */
export const HaveRequest = z.object({ sha256: z.array(sha256).max(10_000) });
export const HaveResponse = z.object({ have: z.array(sha256) });

/** A path inside a package folder: forward slashes, no `..`, no absolute path, no empty part. */
const packagePath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (p) => !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    {
      message: 'a relative package path',
    },
  );

export const CommitFile = z.object({ path: packagePath, sha256, size: z.number().int().nonnegative() });
export type CommitFile = z.infer<typeof CommitFile>;

export const CommitRequest = z.object({
  caseNumber: z.string().min(1).max(100),
  version: z.number().int().min(1),
  tagManifestSha256: sha256,
  files: z.array(CommitFile).min(1).max(100_000),
  /**
   * The station's `case.seal` custody entry for this version, exactly as chained. The package
   * cannot hold it (the entry names the tag manifest's hash, so it is written after the package):
   * the server checks it recomputes, names this case, version and tag manifest, and follows the
   * package's `Custody-Chain-Head`.
   */
  sealEntry: CustodyEntry,
});
export type CommitRequest = z.infer<typeof CommitRequest>;

export const CommitResponse = z.object({ receipt: z.string().min(2), signature: z.string().min(1) });
export type CommitResponse = z.infer<typeof CommitResponse>;

/** The receipt statement, parsed from `receipt-<seq>.json` (canonical JSON). */
export const Receipt = z.object({
  type: z.literal('evidence-station/receipt'),
  version: z.literal(PROTOCOL_VERSION),
  seq: z.number().int().min(1),
  prevHash: sha256,
  receivedAt: z.string(),
  serverKeyFingerprint: sha256,
  stationId,
  stationKeyFingerprint: sha256,
  caseNumber: z.string(),
  caseVersion: z.number().int().min(1),
  tagManifestSha256: sha256,
  files: z.array(CommitFile),
  idempotencyKey: z.string(),
});
export type Receipt = z.infer<typeof Receipt>;

export function idempotencyKeyOf(
  station: string,
  c: Pick<CommitRequest, 'caseNumber' | 'version' | 'tagManifestSha256'>,
): string {
  return `${station}:${c.caseNumber}:v${c.version}:${c.tagManifestSha256}`;
}

export const ReceivedCase = z.object({
  caseNumber: z.string(),
  version: z.number().int(),
  stationId,
  stationName: z.string(),
  receivedAt: z.string(),
  verification: z.enum(['verified', 'refused']),
  receiptSeq: z.number().int().nullable(),
});
export type ReceivedCase = z.infer<typeof ReceivedCase>;

export const SIGNATURE_HEADERS = {
  station: 'x-station-id',
  nonce: 'x-station-nonce',
  bodySha256: 'x-station-body-sha256',
  signature: 'x-station-signature',
} as const;

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** The exact text a station signs for one request (server/PROTOCOL.md, "Signed requests"). */
export function requestSigningText(r: {
  method: string;
  pathAndQuery: string;
  stationId: string;
  nonce: string;
  bodySha256: string;
}): string {
  return ['ES-REQUEST-1', r.method.toUpperCase(), r.pathAndQuery, r.stationId, r.nonce, r.bodySha256].join('\n');
}

/** Codes the server answers with; the station shows each in plain words (both languages). */
export const SYNC_ERROR_CODES = [
  'enrol.codeInvalid',
  'enrol.stationExists',
  'auth.nonce',
  'auth.signature',
  'station.unknown',
  'station.revoked',
  'request.invalid',
  'request.throttled',
  'upload.hashMismatch',
  'upload.notFound',
  'blob.missing',
  'commit.refused',
  'commit.conflict',
  'operator.unauthorized',
  'internal',
] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const ServerError = z.object({
  error: z.object({
    code: z.enum(SYNC_ERROR_CODES),
    message: z.string(),
    problems: z.array(z.string()).optional(),
  }),
});
export type ServerError = z.infer<typeof ServerError>;
