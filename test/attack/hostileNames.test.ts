import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { getMediaFixtures } from '../fixtures';
import { codeOf, openStation, type TestStation } from '../engine/harness';

/**
 * Hostile case numbers: a case number names the package folder in the station's store and on the
 * medium and is written into bag-info.txt, so whatever an admin typed into the format (or the
 * station name `{STATION}` brings in) must never reach a path as a separator or `..`, nor break
 * the bag's one-line fields.
 */

let station: TestStation;
let itemId: string;

beforeAll(async () => {
  station = await openStation();
  const record = await station.importAndWait([getMediaFixtures().h264]);
  itemId = record.files[0]!.itemId!;
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

async function sealWithFormat(format: string, title: string) {
  await station.call('settings.update', { caseNumberFormat: format });
  const c = await station.call('cases.create', { title });
  await station.call('cases.addItems', { caseId: c.id, itemIds: [itemId] });
  return { number: c.number, sealed: await station.call('cases.seal', { caseId: c.id }) };
}

describe('hostile case numbers', () => {
  it.each([['line\nbreak-{SEQ}'], ['esc\u001b[31m-{SEQ}'], ['rtl\u202e-{SEQ}'], ['nul\u0000-{SEQ}']])(
    'refuses the case number format %j',
    async (format) => {
      expect(await codeOf(station.call('settings.update', { caseNumberFormat: format }))).toBe('case.numberFormat');
    },
  );

  it.each([['../../escaped-{SEQ}'], ['{STATION}/{YYYY}/{SEQ:3}'], ['..\\win-{SEQ}']])(
    'seals a case numbered by %j inside packages/, as one folder that verifies',
    async (format) => {
      const { number, sealed } = await sealWithFormat(format, `hostile ${format}`);
      const packages = join(station.dataDir, 'packages');
      const rel = relative(packages, sealed.path);
      expect(rel.includes('/') || rel.includes('\\') || rel.startsWith('.')).toBe(false);
      expect(await readdir(packages)).toContain(rel);
      expect(sealed.case).toBe(number);
      expect((await verifyPackage(sealed.path)).ok).toBe(true);
      expect((await readdir(station.root)).sort()).toEqual(['data']);
    },
    60_000,
  );

  it('gives two case numbers that come out as one folder name two folders', async () => {
    const a = await sealWithFormat('X/{SEQ}', 'slash');
    const b = await sealWithFormat('X_{SEQ}', 'underscore');
    expect(a.number).not.toBe(b.number);
    expect(a.sealed.path).not.toBe(b.sealed.path);
    expect((await verifyPackage(a.sealed.path)).ok).toBe(true);
    expect((await verifyPackage(b.sealed.path)).ok).toBe(true);
  }, 60_000);
});
