/**
 * The error catalogue: every expected failure the station reports has a code here, with the
 * HTTP status the web host answers with. The message a person reads lives in the locale files
 * under the key `errors.<code>`; errors cross every boundary as `{ code, params }`, never as text.
 */
export const ERROR_CATALOGUE = {
  'input.invalid': 400,
  'auth.required': 401,
  'auth.invalid': 401,
  'auth.locked': 423,
  'auth.forbidden': 403,
  'auth.throttled': 429,
  'auth.expired': 401,
  'auth.passwordChangeRequired': 403,
  'host.token': 401,
  'host.origin': 403,
  'setup.alreadyDone': 409,
  'setup.required': 409,
  'account.exists': 409,
  'account.notFound': 404,
  'account.weakPassword': 400,
  'account.lockedOut': 423,
  'account.disabled': 403,
  'account.lastAdmin': 409,
  'account.officerTaken': 409,
  'account.passwordUnchanged': 400,
  'item.notFound': 404,
  'item.ambiguous': 409,
  'import.notFound': 404,
  'import.sourceNotFound': 404,
  'import.sourceNotAbsolute': 400,
  'import.insufficientSpace': 507,
  'import.busy': 409,
  'import.pathNotAllowed': 403,
  'import.pathInStation': 403,
  'import.sourceUnreadable': 422,
  'path.notFound': 404,
  'media.notFound': 404,
  'media.notOpened': 403,
  'time.invalid': 400,
  'item.notRecording': 400,
  'clip.range': 400,
  'clip.openGop': 422,
  'clip.untimed': 422,
  'clip.cancelled': 409,
  'clip.failed': 422,
  'clip.busy': 409,
  'still.failed': 422,
  'job.notFound': 404,
  'custody.problemNotFound': 404,
  'store.insufficientSpace': 507,
  'taxonomy.unknownCode': 400,
  'taxonomy.versionNotFound': 404,
  'marker.outside': 400,
  'taxonomy.retired': 400,
  'taxonomy.typeRemoved': 400,
  'tag.notFound': 404,
  'tag.nothingToUndo': 409,
  'tag.rangeOutside': 400,
  'tag.removed': 409,
  'marker.notFound': 404,
  'case.notFound': 404,
  'case.notDraft': 409,
  'case.itemNotInCase': 404,
  'batch.emptyImport': 404,
  'batch.emptyDevice': 404,
  'tag.notFromSource': 400,
  'case.numberFormat': 400,
  'case.empty': 409,
  'case.untitled': 409,
  'case.sealed': 409,
  'case.alreadySealed': 409,
  'case.notSealed': 409,
  'case.alreadyDraft': 409,
  'case.versionNotFound': 404,
  'approval.notSupervisor': 403,
  'approval.ownSeal': 403,
  'approval.ownEdit': 403,
  'approval.wrongState': 409,
  'approval.superseded': 409,
  'approval.notOnRecord': 409,
  'seal.hashMismatch': 409,
  'seal.failed': 500,
  'seal.custodyProblem': 409,
  'key.passphraseRequired': 423,
  'key.passphraseWrong': 423,
  'key.invalid': 400,
  'key.unavailable': 423,
  'key.protectorFailed': 423,
  'key.exists': 409,
  'key.damaged': 500,
  'export.insufficientSpace': 507,
  'export.destination': 400,
  'export.destinationNotAllowed': 403,
  'export.custodyProblem': 409,
  'export.failed': 500,
  'export.cancelled': 409,
  'export.verifyFailed': 500,
  'export.busy': 409,
  'package.unreadable': 400,
  'package.notFound': 404,
  'verify.pathNotAllowed': 403,
  'package.damaged': 409,
  'station.inUse': 409,
  'station.schemaOlder': 409,
  'station.schemaNewer': 409,
  'engine.unreachable': 503,
  'engine.socketBlocked': 503,
  'engine.socketUnmovable': 503,
  'quarantine.fileMissing': 409,
  'quarantine.notEvidence': 409,
  'quarantine.alreadyStored': 409,
  'quarantine.hashMismatch': 409,
  'quarantine.releaseTarget': 400,
  'quarantine.releaseExists': 409,
  'quarantine.releaseFailed': 500,
  'sync.notEnrolled': 409,
  'sync.enrolmentNotOnRecord': 409,
  'sync.alreadyEnrolled': 409,
  'sync.unreachable': 503,
  'sync.serverRefused': 502,
  'enrol.codeMalformed': 400,
  'enrol.codeInvalid': 409,
  'enrol.stationExists': 409,
  'enrol.serverKeyMismatch': 409,
  'method.unknown': 404,
  internal: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export type ErrorParams = Record<string, string | number>;

export interface SerializedError {
  code: ErrorCode;
  params: ErrorParams;
}

/** An expected failure: shown to the user translated, never logged as a bug. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ''}`, options);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
  }

  toJSON(): SerializedError {
    return { code: this.code, params: this.params };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, value);
}

/** Turns anything thrown into the data that crosses a boundary; unknown errors become `internal`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof AppError) return error.toJSON();
  return { code: 'internal', params: {} };
}

export function deserializeError(data: unknown): AppError {
  if (typeof data === 'object' && data !== null && 'code' in data && isErrorCode(data.code)) {
    const params = 'params' in data && typeof data.params === 'object' && data.params !== null ? data.params : {};
    return new AppError(data.code, params as ErrorParams);
  }
  return new AppError('internal');
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CATALOGUE[code];
}
