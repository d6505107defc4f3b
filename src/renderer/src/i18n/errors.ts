import { AppError, deserializeError, type ErrorCode } from '../../../shared/errors';
import type { MessageKey } from './en';
import type { Translate } from './index';

/** Every error code has its message under `errors.<code>`; en.ts is typed to guarantee the key exists. */
function errorKey(code: ErrorCode): MessageKey {
  return `errors.${code}`;
}

/** Anything a call may throw, as an AppError: transports deliver AppError or its serialized form; the rest is a bug. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (typeof error === 'object' && error !== null && 'code' in error) return deserializeError(error);
  console.error('Unexpected error', error);
  return new AppError('internal');
}

/** Cancellations are the user's own doing and are never shown as failures. */
export function isCancellation(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function describeError(error: unknown, t: Translate): string {
  const appError = toAppError(error);
  return t(errorKey(appError.code), appError.params);
}
