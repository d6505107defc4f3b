import type { SyncProblemCode } from '../../shared/syncSchemas';

/**
 * Why a step of sync did not work, as the outbox records it. `final`: retrying cannot help this
 * version (the server refused the package); anything else waits and is tried again.
 */
export class SyncFailure extends Error {
  constructor(
    readonly code: SyncProblemCode,
    readonly detail: string,
    readonly opts: { status?: number | null; final?: boolean; problems?: string[] } = {},
  ) {
    super(`${code}: ${detail}`);
    this.name = 'SyncFailure';
  }

  get final(): boolean {
    return this.opts.final ?? false;
  }
}

/** A network-level failure (refused, reset, timed out) as a SyncFailure; anything else passes through. */
export function asSyncFailure(error: unknown): SyncFailure {
  if (error instanceof SyncFailure) return error;
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  const detail = [e.message ?? String(error), cause].filter(Boolean).join(': ');
  return new SyncFailure('network', detail);
}
