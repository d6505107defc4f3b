import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { ReceivedCase } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';
import { insertStation } from '../stations/stationsRepo';
import { describeEachDatabase, type TestDatabase } from '../test/databases';
import { runServerCommand, startServerProcess, type ServerProcess } from '../test/serverProcess';
import { makeStationKeys } from '../test/testStation';
import { SESSION_COOKIE } from './sessions';

const PASSWORD = 'a long operator passphrase';

function basic(name: string, password: string): string {
  return `Basic ${Buffer.from(`${name}:${password}`, 'utf8').toString('base64')}`;
}

/** Received cases as the commit handler records them, one of each state and one with markup in it. */
async function seedCases(sql: Sql): Promise<void> {
  const st = makeStationKeys('station-1', '一号工作站');
  await insertStation(sql, {
    id: st.id,
    name: st.name,
    publicKeyPem: st.publicKeyPem,
    keyFingerprint: keyFingerprint(st.publicKeyPem),
    enrolledAt: new Date('2026-12-01T08:00:00Z'),
  });
  const insert = `INSERT INTO received_cases
    (station_id, case_number, case_version, tag_manifest_sha256, received_at, verification, receipt_seq, problems)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;
  await sql.query(insert, [st.id, '2026-0001', 2, 'a'.repeat(64), new Date('2026-12-02T09:00:00Z'), 'verified', 1, '[]']);
  await sql.query(insert, [
    st.id,
    '<script>alert(1)</script>',
    1,
    'b'.repeat(64),
    new Date('2026-12-02T10:00:00Z'),
    'refused',
    null,
    JSON.stringify(['signature does not verify']),
  ]);
}

describeEachDatabase('operators and the case list', (db) => {
  let t: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    t = await db.fresh();
    const added = await runServerCommand(['user', 'add', 'alice', '--data', t.dataDir], { ...t.env, SERVER_PASSWORD: PASSWORD });
    expect(added.code, added.stderr).toBe(0);
    const twice = await runServerCommand(['user', 'add', 'alice', '--data', t.dataDir], { ...t.env, SERVER_PASSWORD: PASSWORD });
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already exists/);
    const sql = await t.open();
    await seedCases(sql);
    // A name with many recent failures: its next attempt must wait (a minute, at the policy's cap).
    await sql.query(`INSERT INTO operator_sign_in_failures (name, failures, last_failed_at) VALUES ('mallory', 12, $1)`, [
      new Date(),
    ]);
    await sql.close();
    server = await startServerProcess(t.dataDir, t.env);
  });
  afterAll(async () => {
    expect((await server?.stop())?.code).toBe(0);
  });

  it('refuses weak, empty or missing passwords', async () => {
    const add = (name: string, password?: string) =>
      runServerCommand(['user', 'add', name, '--data', t.dataDir], { ...t.env, SERVER_PASSWORD: password });
    // Refused before the database is opened, so the running server's folder lock is not reached.
    const empty = await add('bob', '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/password is empty/);
    expect((await add('bob', 'short')).stderr).toMatch(/too short/);
    expect((await add('bob', 'bbbbbbbbbbbbbbbb')).stderr).toMatch(/one character/);
    expect((await runServerCommand(['user', 'add', 'bob', '--data', t.dataDir], { ...t.env, SERVER_PASSWORD: undefined })).stderr).toMatch(/SERVER_PASSWORD/);
  });

  it('shows the sign-in form, not the cases, to a visitor', async () => {
    const res = await fetch(`${server.url}/?lang=en`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('action="/sign-in"');
    expect(page).not.toContain('2026-0001');
    const json = await fetch(`${server.url}/api/cases`);
    expect(json.status).toBe(401);
    expect(((await json.json()) as { error: { code: string } }).error.code).toBe('operator.unauthorized');
  });

  it('signs in with the form, sets an HttpOnly SameSite=Strict cookie, lists the cases, and signs out', async () => {
    const res = await fetch(`${server.url}/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'alice', password: PASSWORD, lang: 'en' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[0-9a-f]{64};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0]!;
    const page = await (await fetch(`${server.url}/?lang=en`, { headers: { Cookie: session } })).text();
    expect(page).toContain('Received cases');
    expect(page).toContain('2026-0001');
    const cases = ReceivedCase.array().parse(await (await fetch(`${server.url}/api/cases`, { headers: { Cookie: session } })).json());
    expect(cases.map((c) => [c.caseNumber, c.version, c.verification, c.receiptSeq])).toEqual([
      ['<script>alert(1)</script>', 1, 'refused', null],
      ['2026-0001', 2, 'verified', 1],
    ]);
    const out = await fetch(`${server.url}/sign-out`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: session },
      body: 'lang=en',
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect((await fetch(`${server.url}/api/cases`, { headers: { Cookie: session } })).status).toBe(401);
  });

  it('lists the cases in English and in Chinese, escaped, with no script and no outside asset', async () => {
    const auth = { Authorization: basic('alice', PASSWORD) };
    const en = await fetch(`${server.url}/?lang=en`, { headers: auth });
    expect(en.status).toBe(200);
    expect(en.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const enPage = await en.text();
    expect(enPage).toContain('<html lang="en">');
    expect(enPage).toContain('Verified');
    expect(enPage).toContain('Refused');
    expect(enPage).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(enPage).not.toContain('<script');
    expect(enPage).not.toMatch(/(src|href)="(https?:)?\/\//);
    const zh = await fetch(`${server.url}/`, { headers: { ...auth, 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' } });
    const zhPage = await zh.text();
    expect(zhPage).toContain('<html lang="zh-CN">');
    expect(zhPage).toContain('已接收的案件');
    expect(zhPage).toContain('已验证');
    expect(zhPage).toContain('已拒收');
    expect(zhPage).toContain('一号工作站');
  });

  it('answers a wrong password and an unknown name alike', async () => {
    const wrong = await fetch(`${server.url}/api/cases`, { headers: { Authorization: basic('alice', 'not the password!') } });
    const unknown = await fetch(`${server.url}/api/cases`, { headers: { Authorization: basic('nobody', 'not the password!') } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
    const form = (name: string) =>
      fetch(`${server.url}/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ name, password: 'not the password!', lang: 'en' }),
      });
    const a = await form('alice');
    const b = await form('nobody');
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect((await a.text()).replace('value="alice"', '')).toBe((await b.text()).replace('value="nobody"', ''));
  });

  it('makes a name with many failed sign-ins wait, even with the right password', async () => {
    const res = await fetch(`${server.url}/api/cases`, { headers: { Authorization: basic('mallory', 'whatever it is') } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const res = await fetch(`${server.url}/sign-in`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body: new URLSearchParams({ name: 'alice', password: PASSWORD }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
