import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/databases';
import { DatabaseFromFutureError, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';

describe('the migration list', () => {
  it('numbers its migrations 1, 2, 3, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });
});

describeEachDatabase('server migrations', (db) => {
  it('brings a fresh database to the newest version, once', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    expect(await schemaVersion(sql)).toBe(0);
    expect(await migrate(sql)).toBe(MIGRATIONS.length);
    expect(await migrate(sql)).toBe(MIGRATIONS.length);
    const applied = await sql.query<{ version: number; name: string }>(
      'SELECT version, name FROM server_migrations ORDER BY version',
    );
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    const tables = await sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'enrol_codes',
        'nonces',
        'operator_sessions',
        'operator_sign_in_failures',
        'operators',
        'received_cases',
        'server_migrations',
        'stations',
      ]),
    );
  });

  it('refuses a database from a newer server', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    await migrate(sql);
    await sql.query(`INSERT INTO server_migrations (version, name) VALUES ($1, 'from the future')`, [
      MIGRATIONS.length + 1,
    ]);
    await expect(migrate(sql)).rejects.toBeInstanceOf(DatabaseFromFutureError);
  });

  it('rolls a failing migration back whole and keeps the version before it', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      statements: ['CREATE TABLE half_made (id integer)', 'INSERT INTO no_such_table VALUES (1)'],
    };
    await expect(migrate(sql, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow(/no_such_table/);
    expect(await schemaVersion(sql)).toBe(MIGRATIONS.length);
    const leftover = await sql.query<{ present: boolean }>(`SELECT to_regclass('half_made') IS NOT NULL AS present`);
    expect(leftover[0]!.present).toBe(false);
  });

  it('refuses a migration list whose versions skip or repeat', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    const skip: Migration = { version: MIGRATIONS.length + 2, name: 'skips', statements: [] };
    await expect(migrate(sql, { migrations: [...MIGRATIONS, skip] })).rejects.toThrow(/rise by one/);
    expect(await schemaVersion(sql)).toBe(0);
  });

  it('applies each migration once when two openers migrate at the same moment', async () => {
    const t = await db.fresh();
    const [a, b] = [await t.openRaw(), db.kind === 'postgres' ? await t.openRaw() : null];
    const versions = await Promise.all([migrate(a), migrate(b ?? a)]);
    expect(versions).toEqual([MIGRATIONS.length, MIGRATIONS.length]);
    const rows = await a.query<{ n: number }>('SELECT count(*) AS n FROM server_migrations');
    expect(rows[0]!.n).toBe(MIGRATIONS.length);
  });
});

describeEachDatabase('the Sql adapter', (db) => {
  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    await sql.query('CREATE TABLE t (v text)');
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', ['kept']);
    });
    await expect(
      sql.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['dropped']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect(await sql.query('SELECT v FROM t')).toEqual([{ v: 'kept' }]);
  });

  it('runs a nested transaction as a savepoint', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    await sql.query('CREATE TABLE t (v text)');
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', ['outer']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('INSERT INTO t VALUES ($1)', ['inner']);
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await sql.query('SELECT v FROM t')).toEqual([{ v: 'outer' }]);
  });

  it('reads int8 as a number, timestamptz as a Date and jsonb as a value, alike on both', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    const at = new Date('2026-12-03T01:02:03.456Z');
    const rows = await sql.query<{ n: unknown; at: unknown; j: unknown }>(
      `SELECT count(*) AS n, $1::timestamptz AS at, '["a",1]'::jsonb AS j FROM (VALUES (1), (2)) v(x)`,
      [at],
    );
    expect(rows[0]).toEqual({ n: 2, at, j: ['a', 1] });
  });

  it('holds a session-level advisory lock for the length of a session', async () => {
    const t = await db.fresh();
    const sql = await t.openRaw();
    const held = await sql.session(async (conn) => {
      const got = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(42) AS ok');
      const mine = await conn.query<{ n: number }>(
        `SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
      );
      return { got: got[0]!.ok, mine: mine[0]!.n };
    });
    expect(held).toEqual({ got: true, mine: 1 });
    // PostgreSQL: the pooled connection went back without the lock. PGlite has one backend for
    // the whole process, so its session locks only ever keep other processes out.
    const left = await sql.query<{ n: number }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory'`);
    expect(left[0]!.n).toBe(db.kind === 'postgres' ? 0 : 1);
  });
});
