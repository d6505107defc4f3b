import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';
import { packageDir } from '../../src/core/seal/packageStore';
import { stationLayout } from '../../src/core/store/layout';
import { CaseJson } from '../../src/shared/sealSchemas';
import { CustodyEntry } from '../../src/shared/schemas';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { getMediaFixtures } from '../fixtures';
import { fileHashes, opensslVerifyTagManifest } from '../support/packageChecks';
import { codeOf, importedItem, openStation, type TestStation } from './harness';

/**
 * Sealing on a real station with generated media: the package is a signed bag that sha256sum and
 * openssl accept and our verifier finds intact; refusals (empty, untitled, twice, a changed
 * stored file, edits to a sealed case); reopening starts the next version and leaves the sealed
 * package byte for byte as it was. (What the next start does with a folder no version names:
 * packagesRecovery.test.ts.)
 */

let station: TestStation;
const ids: Record<'h264' | 'review' | 'chinese' | 'photo', { id: string; sha256: string }> = {} as never;
let clip: { id: string; sha256: string };
let still: { id: string; sha256: string };

let correction: { batchId: string };

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait([fx.h264, fx.review, fx.chineseName, fx.photoGps]);
  ids.h264 = importedItem(record, 'h264.mp4');
  ids.review = importedItem(record, 'review.mp4');
  ids.chinese = importedItem(record, '执法 记录 01.mp4');
  ids.photo = importedItem(record, 'photo_gps.jpg');
  const made = await station.call('clips.create', {
    jobId: 'seal-test-clip',
    itemId: ids.review.id,
    fromSec: 1,
    toSec: 2,
    mode: 'lossless',
  });
  clip = { id: made.item.id, sha256: made.item.sha256 };
  const shot = await station.call('stills.create', { itemId: ids.review.id, atSec: 1.5 });
  still = { id: shot.item.id, sha256: shot.item.sha256 };
  // The camera's clock ran 3 min 12 s fast: the recording is corrected and its clip and still move with it.
  correction = await station.call('batch.correctTime', {
    scope: { by: 'items', itemIds: [ids.review.id] },
    shiftSec: -192,
    zone: '+08:00',
    reason: 'camera clock ran 3 min 12 s fast',
  });
  await station.call('tags.add', {
    itemId: ids.review.id,
    code: 'street-vending',
    fromSec: 0.5,
    toSec: 2.5,
    note: '占道',
  });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

function sql(statement: string, ...params: unknown[]): void {
  const db = new Database(join(station.dataDir, 'station.db'));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

async function newCase(title: string, itemIds: string[]) {
  const c = await station.call('cases.create', { title, place: '南京东路' });
  if (itemIds.length) await station.call('cases.addItems', { caseId: c.id, itemIds });
  return c;
}

const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');

describe('cases.seal', () => {
  let caseId: string;
  let number: string;
  let path: string;

  beforeAll(async () => {
    const c = await newCase('夜市占道经营 Night market', [
      ids.h264.id,
      ids.review.id,
      ids.chinese.id,
      ids.photo.id,
      clip.id,
      still.id,
    ]);
    caseId = c.id;
    number = c.number;
    const sealed = await station.call('cases.seal', { caseId });
    expect(sealed).toMatchObject({ case: number, version: 1 });
    path = sealed.path;
    expect(path).toBe(packageDir(stationLayout(station.dataDir), `${number}-v1`));
  }, 120_000);

  it('builds a bag that sha256sum, openssl and the verifier accept', async () => {
    run('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], path);
    run('sha256sum', ['-c', '--quiet', 'tagmanifest-sha256.txt'], path);
    expect(await opensslVerifyTagManifest(path)).toMatch(/Signature Verified Successfully/);
    const own = await station.call('station.key', {});
    const report = await verifyPackage(path, { known: { station: own.fingerprint, imported: [] } });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      case: number,
      version: 1,
      keyTrust: 'station',
      fingerprint: own.fingerprint,
    });
    expect(await station.call('package.verify', { path })).toMatchObject({ ok: true, keyTrust: 'station' });
  });

  it('freezes the case: items with hashes, names, derivations, tags; bag-info names the chain head', async () => {
    const caseJson = CaseJson.parse(JSON.parse(await readFile(join(path, 'data/case.json'), 'utf8')));
    expect(caseJson.case).toMatchObject({ id: caseId, number, version: 1, title: '夜市占道经营 Night market' });
    expect(caseJson.items.map((i) => i.sha256).sort()).toEqual(
      [ids.h264, ids.review, ids.chinese, ids.photo, clip, still].map((i) => i.sha256).sort(),
    );
    const chinese = caseJson.items.find((i) => i.id === ids.chinese.id)!;
    expect(chinese.originalName).toBe('执法 记录 01.mp4');
    expect(chinese.bagPath).toMatch(/^data\/originals\/\d{4}_执法 记录 01\.mp4$/);
    const photo = caseJson.items.find((i) => i.id === ids.photo.id)!;
    expect(photo.gps).toMatchObject({ lat: expect.closeTo(31.2304, 3), lon: expect.closeTo(121.4737, 3) });
    const clipItem = caseJson.items.find((i) => i.id === clip.id)!;
    expect(clipItem).toMatchObject({
      origin: 'clip',
      derivation: { sourceSha256: ids.review.sha256, mode: 'lossless', fromSec: 1, toSec: 2 },
    });
    expect(clipItem.bagPath).toMatch(/^data\/clips\//);
    expect(caseJson.items.find((i) => i.id === still.id)!.bagPath).toMatch(/^data\/stills\//);
    // How each time was corrected travels with the case: the shift, the zone and the batch.
    for (const id of [ids.review.id, clip.id, still.id]) {
      const item = caseJson.items.find((i) => i.id === id)!;
      expect(item.timeProvenance.corrections).toEqual([
        expect.objectContaining({
          shiftSec: -192,
          zone: '+08:00',
          batchId: correction.batchId,
          scope: 'items',
          reason: 'camera clock ran 3 min 12 s fast',
        }),
      ]);
      expect(item.recordedAt).toBe((await station.call('items.get', { id })).recordedAt);
    }
    expect(caseJson.items.find((i) => i.id === ids.review.id)!.tags).toEqual([
      expect.objectContaining({ code: 'street-vending', taxonomyVersion: 1, note: '占道' }),
    ]);
    for (const item of caseJson.items) {
      const bytes = await readFile(join(path, item.bagPath));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
    }

    const own = await station.call('station.key', {});
    const bagInfo = await readFile(join(path, 'bag-info.txt'), 'utf8');
    const { chainHead } = caseJson.seal;
    expect(bagInfo).toContain(`External-Identifier: ${number} v1\n`);
    expect(bagInfo).toContain(`Station-Key-Fingerprint: ${own.fingerprint}\n`);
    expect(bagInfo).toContain(`Custody-Chain-Head: ${chainHead.seq} ${chainHead.hash}\n`);
    expect(bagInfo).toContain('Sealed-By: admin\n');

    // The case.seal entry comes right after the head the package names, and names its tag manifest.
    const log = await station.call('custody.list', { subject: caseId, limit: 500 });
    const seal = log.entries.find((e) => e.action === 'case.seal')!;
    expect(seal.seq).toBe(chainHead.seq + 1);
    expect(seal.prev).toBe(chainHead.hash);
    const tagManifest = await readFile(join(path, 'tagmanifest-sha256.txt'));
    expect(seal.details).toMatchObject({
      version: 1,
      packageName: `${number}-v1`,
      tagManifestSha256: createHash('sha256').update(tagManifest).digest('hex'),
    });
  });

  it('carries every custody entry about the case and its items, each recomputing on its own', async () => {
    const lines = (await readFile(join(path, 'data/custody.jsonl'), 'utf8')).trimEnd().split('\n');
    const entries = lines.map((l) => CustodyEntry.parse(JSON.parse(l)));
    for (const e of entries) {
      const { hash, ...rest } = e;
      expect(hashCustodyEntry(rest)).toBe(hash);
    }
    const actions = entries.map((e) => e.action);
    expect(actions).toContain('case.create');
    expect(actions.filter((a) => a === 'case.addItem')).toHaveLength(6);
    expect(actions).toContain('import');
    expect(actions).toContain('clip.create');
    expect(actions).not.toContain('case.seal');
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('keeps the package read-only and the case read-only', async () => {
    expect((await stat(join(path, 'data/case.json'))).mode & 0o777).toBe(0o444);
    expect((await stat(path)).mode & 0o777).toBe(0o555);
    const detail = await station.call('cases.get', { ref: caseId });
    expect(detail).toMatchObject({ state: 'sealed', version: 1, sealedVersions: 1 });
    expect(await codeOf(station.call('cases.update', { id: caseId, title: 'x' }))).toBe('case.sealed');
    expect(await codeOf(station.call('cases.addItems', { caseId, itemIds: [ids.h264.id] }))).toBe('case.sealed');
    expect(await codeOf(station.call('cases.removeItem', { caseId, itemId: ids.h264.id, reason: 'x' }))).toBe(
      'case.sealed',
    );
    expect(await codeOf(station.call('cases.seal', { caseId }))).toBe('case.alreadySealed');
  });

  it('reopens as version 2 with the same items; version 1 stays byte for byte', async () => {
    const before = await fileHashes(path);
    expect(await codeOf(station.call('cases.reopen', { caseId, reason: '' }))).toBe('input.invalid');
    const reopened = await station.call('cases.reopen', { caseId, reason: 'a still was missing' });
    expect(reopened).toMatchObject({ state: 'draft', version: 2, sealedVersions: 1, itemCount: 6 });
    expect(await codeOf(station.call('cases.reopen', { caseId, reason: 'again' }))).toBe('case.alreadyDraft');
    const versions = await station.call('cases.versions', { caseId });
    expect(versions).toEqual([
      expect.objectContaining({ version: 1, reopenedBy: 'admin', reopenReason: 'a still was missing' }),
    ]);
    await station.call('cases.removeItem', { caseId, itemId: ids.photo.id, reason: 'not this case' });
    const v2 = await station.call('cases.seal', { caseId });
    expect(v2.version).toBe(2);
    const v2Json = CaseJson.parse(JSON.parse(await readFile(join(v2.path, 'data/case.json'), 'utf8')));
    expect(v2Json.seal.previousVersion).toBe(1);
    expect(v2Json.items).toHaveLength(5);
    expect(await fileHashes(path)).toEqual(before);
    expect((await station.call('cases.versions', { caseId })).map((v) => v.version)).toEqual([1, 2]);
  });
});

describe('seal refusals', () => {
  it('refuses an empty case and an untitled one', async () => {
    const empty = await newCase('Nothing yet', []);
    expect(await codeOf(station.call('cases.seal', { caseId: empty.id }))).toBe('case.empty');
    const untitled = await newCase('to be blanked', [ids.h264.id]);
    sql(`UPDATE cases SET title = '' WHERE id = ?`, untitled.id);
    expect(await codeOf(station.call('cases.seal', { caseId: untitled.id }))).toBe('case.untitled');
    expect(await readdir(join(station.dataDir, 'packages'))).not.toContain(`${untitled.number}-v1`);
  });

  it('refuses when a stored file no longer matches its hash, naming it, on the record', async () => {
    const c = await newCase('Tampered', [ids.h264.id, ids.chinese.id]);
    const stored = station.engine.storedPathOf(ids.chinese.sha256);
    await chmod(stored, 0o644);
    const handle = await open(stored, 'r+');
    const original = Buffer.alloc(1);
    try {
      await handle.read(original, 0, 1, 100);
      await handle.write(Buffer.from([original[0]! ^ 0xff]), 0, 1, 100);
    } finally {
      await handle.close();
    }
    try {
      const refusal = await station.call('cases.seal', { caseId: c.id }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refusal).toMatchObject({
        code: 'seal.hashMismatch',
        params: { items: '执法 记录 01.mp4', itemIds: ids.chinese.id },
      });
      const log = await station.call('custody.list', { subject: c.id, limit: 500 });
      const mismatch = log.entries.find((e) => e.action === 'seal.hashMismatch');
      expect(mismatch?.details).toMatchObject({
        items: [
          expect.objectContaining({
            itemId: ids.chinese.id,
            expected: ids.chinese.sha256,
            actual: expect.stringMatching(/^[0-9a-f]{64}$/),
          }),
        ],
      });
      expect((await station.call('cases.get', { ref: c.id })).state).toBe('draft');
      expect(await readdir(join(station.dataDir, 'packages'))).not.toContain(`${c.number}-v1`);
    } finally {
      const handle2 = await open(stored, 'r+');
      await handle2.write(original, 0, 1, 100);
      await handle2.close();
      await chmod(stored, 0o444);
    }
  });
});
