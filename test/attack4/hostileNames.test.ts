import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { runServerCommand } from '../../server/test/serverProcess';
import {
  approvedCaseOf,
  openSyncStation,
  startCentralServer,
  type ApprovedCase,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): hostile names end to end. A station named with markup and a right-to-left
 * override, a case number format that carries it (`{STATION}`), a title and item file names with
 * RTL overrides, zero-width characters, markup, 244 bytes (the file system's limit is 255), and two names that differ only by
 * Unicode normalisation (NFC and NFD). Sealed, approved, synced to a real server, listed on the
 * operator page in both languages (as text, never as markup), exported with the receipt, verified.
 */

const OPERATOR = { name: 'operator', password: 'a long operator passphrase' };
const STATION_NAME = '<script>alert("s")</script>\u202Egpj.exe\u200B';
const NAMES = [
  '\u202Etxt.exe\u200B<img src=x onerror=alert(1)>.bin',
  'caf\u00e9.bin', // NFC
  'cafe\u0301.bin', // NFD: the same name to a reader
  `${'长'.repeat(40)}${'x'.repeat(120)}.bin`, // 244 bytes: near the file system's limit,
];

let server: CentralServer;
let station: SyncStation;
let approved: ApprovedCase;

beforeAll(async () => {
  server = await startCentralServer();
  await server.stop();
  const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', server.dataDir], {
    DATABASE_URL: '',
    SERVER_PASSWORD: OPERATOR.password,
  });
  if (added.code !== 0) throw new Error(added.stderr);
  await server.start();
  station = await openSyncStation();
  await station.call('settings.update', { stationName: STATION_NAME, caseNumberFormat: '<i>{STATION}-{SEQ}' });
  const dir = join(station.root, 'src');
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, name] of NAMES.entries()) {
    const path = join(dir, name);
    await writeFile(path, `evidence ${i} ${name}\n`);
    files.push(path);
  }
  const record = await station.importAndWait(files, { includeNonMedia: true });
  const itemIds = record.files.map((f) => f.itemId).filter((id): id is string => typeof id === 'string');
  expect(itemIds).toHaveLength(NAMES.length);
  approved = await approvedCaseOf(station, '\u202E<b>标题</b>\u200B\u2066 title', itemIds);
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe('hostile names from seal to the operator page and back', () => {
  it('sync, and the operator page shows them as text in both languages', async () => {
    expect(approved.number).not.toMatch(/[\u202e\u200b]/);
    const status = (await station.call('sync.now', { wait: true })).find((s) => s.case === approved.number);
    expect(status).toMatchObject({ state: 'synced' });
    const auth = `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}`;
    for (const lang of ['en', 'zh-CN']) {
      const page = await (await fetch(`${server.url}/?lang=${lang}`, { headers: { Authorization: auth } })).text();
      expect(page).toContain('&#60;script&#62;alert(&#34;s&#34;)&#60;/script&#62;');
      expect(page).toContain('&#60;i&#62;');
      expect(page).not.toContain('<script>alert');
      expect(page).not.toContain('<i>');
      // A right-to-left override or a zero-width space would change what the name reads as.
      expect(page).toContain('[U+202E]gpj.exe[U+200B]');
      expect(page).not.toMatch(/[\u202e\u200b]/);
    }
  }, 120_000);

  it('export with the receipt, and the copy verifies', async () => {
    const dest = join(station.root, 'usb');
    await mkdir(dest, { recursive: true });
    const exported = await station.call('cases.export', { caseId: approved.caseId, to: dest, jobId: 'hostile-export' });
    const report = await verifyPackage(exported.path);
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.receipts).toEqual([expect.objectContaining({ verified: true })]);
    expect(report.case).toBe(approved.number);
  }, 120_000);
});
