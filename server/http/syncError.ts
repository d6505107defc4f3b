import type { SyncErrorCode } from '../../src/shared/syncProtocol';

/** The HTTP status each protocol error answers with (server/PROTOCOL.md). */
export const SYNC_ERROR_STATUS: Record<SyncErrorCode, number> = {
  'enrol.codeInvalid': 403,
  'enrol.stationExists': 409,
  'auth.nonce': 401,
  'auth.signature': 401,
  'station.unknown': 401,
  'station.revoked': 401,
  'request.invalid': 400,
  'request.throttled': 429,
  'upload.hashMismatch': 460,
  'upload.notFound': 404,
  'blob.missing': 409,
  'commit.refused': 422,
  'commit.conflict': 409,
  'operator.unauthorized': 401,
  internal: 500,
};

/**
 * An expected refusal: it reaches the client as `{ error: { code, message } }` with the code's
 * status (or `status` when one code covers several, e.g. `request.invalid` as 404 or 413).
 * `detail` goes to the server's log only; `problems` go to the client (a refused commit's reasons).
 */
export class SyncError extends Error {
  readonly status: number;

  constructor(
    readonly code: SyncErrorCode,
    readonly detail?: string,
    options: { status?: number; problems?: string[] } = {},
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'SyncError';
    this.status = options.status ?? SYNC_ERROR_STATUS[code];
    this.problems = options.problems;
  }

  readonly problems: string[] | undefined;
}

export function isSyncError(error: unknown): error is SyncError {
  return error instanceof SyncError;
}
