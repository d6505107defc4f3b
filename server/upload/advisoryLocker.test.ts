import { expect, it } from 'vitest';
import { openPostgres } from '../db/postgres';
import type { Sql } from '../db/sql';
import { describeEachDatabase } from '../test/databases';
import { AdvisoryLocker, uploadLockKey } from './advisoryLocker';

/**
 * The tus locker on a real database: one holder per upload, the waiter's request to let go
 * reaching the holder (in this process, and on PostgreSQL from another pool of connections, as a
 * second server instance would be), a timeout when the holder does not let go, and the lock freed
 * on unlock.
 */

const never = new AbortController().signal;

describeEachDatabase('the advisory-lock tus locker', (dbs) => {
  it('gives an upload to one holder at a time, and asks the holder to let go', async () => {
    const db = await dbs.fresh();
    const sql = await db.open();
    const locker = new AdvisoryLocker(sql, { pollMs: 20 });
    const first = locker.newLock('a'.repeat(32));
    let asked = 0;
    await first.lock(never, () => {
      asked++;
      setTimeout(() => void first.unlock(), 30);
    });
    const order: string[] = [];
    const second = locker.newLock('a'.repeat(32));
    const acquired = second.lock(never, () => undefined).then(() => order.push('second'));
    // Another upload is not held up meanwhile.
    const other = locker.newLock('b'.repeat(32));
    await other.lock(never, () => undefined);
    order.push('other');
    await other.unlock();
    await acquired;
    expect(asked).toBe(1);
    expect(order).toEqual(['other', 'second']);
    await second.unlock();
  });

  it('gives up after its timeout when the holder keeps the lock', async () => {
    const db = await dbs.fresh();
    const sql = await db.open();
    const locker = new AdvisoryLocker(sql, { pollMs: 20, acquireTimeoutMs: 200 });
    const holder = locker.newLock('c'.repeat(32));
    await holder.lock(never, () => undefined);
    await expect(locker.newLock('c'.repeat(32)).lock(never, () => undefined)).rejects.toMatchObject({
      status_code: 500,
    });
    // The waiter's own abort ends the wait too.
    const stop = new AbortController();
    const waiting = locker.newLock('c'.repeat(32)).lock(stop.signal, () => undefined);
    stop.abort();
    await expect(waiting).rejects.toBeDefined();
    await holder.unlock();
    const after = locker.newLock('c'.repeat(32));
    await after.lock(never, () => undefined);
    await after.unlock();
  });

  it.skipIf(dbs.kind === 'pglite')(
    'locks across two instances (two connection pools) and passes on the request to let go',
    async () => {
      const db = await dbs.fresh();
      const one = await db.open();
      const two: Sql = await openPostgres({ connectionString: db.env.DATABASE_URL! });
      try {
        const id = 'd'.repeat(32);
        const onOne = new AdvisoryLocker(one, { pollMs: 20 });
        const onTwo = new AdvisoryLocker(two, { pollMs: 20 });
        const held = onOne.newLock(id);
        let asked = false;
        await held.lock(never, () => {
          asked = true;
          void held.unlock();
        });
        const [row] = await two.query<{ holders: number }>(
          `SELECT count(*)::int AS holders FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
          [uploadLockKey(id)],
        );
        expect(row?.holders).toBe(1);
        const taken = onTwo.newLock(id);
        await taken.lock(never, () => undefined);
        expect(asked).toBe(true);
        // Held on the second instance now: the first cannot have it back until it lets go.
        const back = onOne.newLock(id);
        let backIn = false;
        const again = back.lock(never, () => undefined).then(() => (backIn = true));
        await new Promise((r) => setTimeout(r, 100));
        expect(backIn).toBe(false);
        await taken.unlock();
        await again;
        await back.unlock();
      } finally {
        await two.close();
      }
    },
  );
});
