import type { CustodyEntry } from '../../shared/schemas';
import type { WritableDB } from '../db/database';
import { appendCustody, type CustodyInput } from './custodyLog';

/** Appends one custody entry inside the caller's transaction, guarded (see `guardedAppender`). */
export type AppendEntry = (input: CustodyInput) => CustodyEntry;

/** What watches the chain's head outside the database (the engine's `ChainHeadWriter`). */
export interface AppendGuard {
  /** Compares the head file and the furthest known head with the database, before the entry. */
  checkBeforeAppend(): void;
  /** Asks for the head file to be written once the transaction has committed. */
  schedule(): void;
}

/**
 * The one way the engine appends to the custody log, whatever the module (imports, recovery,
 * quarantine, the catalogue, every handler through `Services.record`): the head file and the
 * database are compared before each entry, so entries removed or a head edited between two
 * appends are named against the chain as it was, never hidden by the new entries; and the head is
 * written after each commit. `appendCustody` itself is called nowhere else (a test holds that).
 */
export function guardedAppender(db: WritableDB, guard: AppendGuard): AppendEntry {
  return (input) => {
    guard.checkBeforeAppend();
    const entry = appendCustody(db, input);
    guard.schedule();
    return entry;
  };
}
