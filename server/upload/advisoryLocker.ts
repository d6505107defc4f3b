import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { Sql } from '../db/sql';

/**
 * The tus locker across server instances: an upload is locked by a PostgreSQL session-level
 * advisory lock (`pg_try_advisory_lock` on a 64-bit key derived from the upload id), held on one
 * connection (`Sql.session`) from `lock` to `unlock`, so two instances on one database never
 * write the same upload at once. If that connection dies, PostgreSQL frees the lock, and the
 * holder is told to let go (its request is cancelled).
 *
 * Inside one process the same upload is also locked in memory first: PGlite has one backend, on
 * which advisory locks are re-entrant, so they keep out another process, never another request of
 * this one.
 *
 * The lock-request callback is honoured both ways: a waiter in this process calls the holder's
 * callback directly; a waiter in another instance writes a row in `upload_lock_requests`, which
 * the holder looks for while it holds the lock and answers by calling its own callback (tus then
 * ends that request and unlocks). A request whose client has gone (a cut connection) is thus not
 * left holding an upload the station wants to resume elsewhere.
 */
export class AdvisoryLocker implements Locker {
  /** Uploads locked by this process, with the callback that asks the holder to let go. */
  readonly held = new Map<string, { requestRelease: RequestRelease; released: Promise<void> }>();

  constructor(
    readonly sql: Sql,
    readonly options: { acquireTimeoutMs?: number; pollMs?: number } = {},
  ) {}

  newLock(id: string): Lock {
    return new AdvisoryLock(id, this);
  }
}

/** The advisory-lock key of an upload: the first 8 bytes of a SHA-256 of its id, as a signed int8. */
export function uploadLockKey(id: string): string {
  return createHash('sha256').update(`evidence-station/upload:${id}`).digest().readBigInt64BE(0).toString();
}

class AdvisoryLock implements Lock {
  private unlockNow: (() => void) | null = null;
  private releaseInProcess: (() => void) | null = null;
  private sessionDone: Promise<void> | null = null;

  constructor(
    private readonly id: string,
    private readonly locker: AdvisoryLocker,
  ) {}

  async lock(signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const timeout = AbortSignal.timeout(this.locker.options.acquireTimeoutMs ?? 30_000);
    const giveUp = AbortSignal.any([signal, timeout]);
    let releasedInProcess!: () => void;
    const released = new Promise<void>((resolve) => (releasedInProcess = resolve));
    await this.lockInProcess(giveUp, { requestRelease, released });
    this.releaseInProcess = () => {
      this.locker.held.delete(this.id);
      releasedInProcess();
    };
    try {
      await this.lockAcrossInstances(giveUp, requestRelease);
    } catch (error) {
      this.releaseInProcess();
      this.releaseInProcess = null;
      throw error;
    }
  }

  async unlock(): Promise<void> {
    const unlockAdvisory = this.unlockNow;
    const releaseInProcess = this.releaseInProcess;
    if (!unlockAdvisory || !releaseInProcess)
      throw new Error(`releasing upload ${this.id}, which this lock does not hold`);
    this.unlockNow = null;
    this.releaseInProcess = null;
    unlockAdvisory();
    // The database lock goes first, so a waiter of this process that is let in finds it free.
    await this.sessionDone;
    releaseInProcess();
  }

  private async lockInProcess(
    giveUp: AbortSignal,
    entry: { requestRelease: RequestRelease; released: Promise<void> },
  ): Promise<void> {
    for (;;) {
      const holder = this.locker.held.get(this.id);
      if (!holder) {
        this.locker.held.set(this.id, entry);
        return;
      }
      if (giveUp.aborted) throw ERRORS.ERR_LOCK_TIMEOUT;
      await holder.requestRelease();
      await Promise.race([holder.released, aborted(giveUp)]);
    }
  }

  /**
   * Takes the advisory lock on a connection of its own, kept until `unlock`. Resolves once held;
   * rejects with tus's lock timeout when `giveUp` fires first.
   */
  private lockAcrossInstances(giveUp: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const key = uploadLockKey(this.id);
    const pollMs = this.locker.options.pollMs ?? 100;
    return new Promise<void>((acquired, refused) => {
      let holding = false;
      this.sessionDone = this.locker.sql
        .session(async (conn) => {
          for (;;) {
            const [row] = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
            if (row?.ok) break;
            if (giveUp.aborted) {
              await conn.query('DELETE FROM upload_lock_requests WHERE lock_key = $1::bigint', [key]);
              throw ERRORS.ERR_LOCK_TIMEOUT;
            }
            // Another instance holds it: ask it to let go, and try again shortly.
            await conn.query(
              `INSERT INTO upload_lock_requests (lock_key, requested_at) VALUES ($1::bigint, now())
               ON CONFLICT (lock_key) DO UPDATE SET requested_at = excluded.requested_at`,
              [key],
            );
            await sleep(pollMs);
          }
          holding = true;
          // Our own request (if we waited) is answered.
          await conn.query('DELETE FROM upload_lock_requests WHERE lock_key = $1::bigint', [key]);
          let unlocked = false;
          const unlockedNow = new Promise<void>((resolve) => {
            this.unlockNow = () => {
              unlocked = true;
              resolve();
            };
          });
          acquired();
          try {
            let asked = false;
            while (!unlocked) {
              await Promise.race([unlockedNow, sleep(pollMs * 2)]);
              if (unlocked || asked) continue;
              const [wanted] = await conn.query<{ n: number }>(
                'SELECT count(*)::int AS n FROM upload_lock_requests WHERE lock_key = $1::bigint',
                [key],
              );
              if ((wanted?.n ?? 0) > 0) {
                asked = true;
                await requestRelease();
              }
            }
          } catch (error) {
            // The connection is gone, and with it the lock: the request holding it must stop.
            await requestRelease();
            throw error;
          } finally {
            if (unlocked) await conn.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
          }
        })
        .catch((error: unknown) => {
          if (!holding) refused(error);
        });
    });
  }
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
