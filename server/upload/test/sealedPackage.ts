import { createHash, createPrivateKey } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { BAG_INFO, BAG_INFO_NAME, bagInfoValue, parseBagInfo } from '../../../src/core/package/bagFormat';
import type { CustodyEntry } from '../../../src/shared/schemas';
import type { CommitFile, CommitRequest } from '../../../src/shared/syncProtocol';
import { getMediaFixtures } from '../../../test/fixtures';
import { importedItem, openStation, type TestStation } from '../../../test/engine/harness';
import type { TestStationKeys } from '../../test/testStation';

/** A case version sealed by the real station engine: its package folder and what a commit sends. */
export interface SealedPackage {
  dir: string;
  caseNumber: string;
  version: number;
  tagManifestSha256: string;
  files: CommitFile[];
  sealEntry: CustodyEntry;
}

export interface SealingStation {
  station: TestStation;
  /** The station's own key and id, as it enrols them on the server. */
  keys: TestStationKeys;
  packages: SealedPackage[];
  cleanup(): Promise<void>;
}

/**
 * A station with generated media, sealing one case per entry of `cases` (each a list of fixture
 * names): the packages are made exactly as a station makes them (test/engine/seal.test.ts).
 */
export async function sealCases(
  cases: ReadonlyArray<ReadonlyArray<'h264' | 'photoGps' | 'review'>>,
): Promise<SealingStation> {
  const fx = getMediaFixtures();
  const station = await openStation();
  try {
    const record = await station.importAndWait([fx.h264, fx.photoGps, fx.review]);
    if (record.files.some((f) => !f.itemId))
      throw new Error(`the fixtures did not all import: ${JSON.stringify(record.files)}`);
    const ids = {
      h264: importedItem(record, 'h264.mp4').id,
      photoGps: importedItem(record, 'photo_gps.jpg').id,
      review: importedItem(record, 'review.mp4').id,
    };
    const packages: SealedPackage[] = [];
    for (const [i, names] of cases.entries()) {
      const c = await station.call('cases.create', { title: `Upload test ${i + 1} 上传`, place: '南京东路' });
      await station.call('cases.addItems', { caseId: c.id, itemIds: names.map((n) => ids[n]) });
      const sealed = await station.call('cases.seal', { caseId: c.id });
      const custody = await station.call('custody.list', { subject: c.id, offset: 0, limit: 500 });
      const sealEntry = custody.entries.find((e) => e.action === 'case.seal' && e.details.version === sealed.version);
      if (!sealEntry) throw new Error(`no case.seal entry for ${sealed.case}`);
      packages.push({
        dir: sealed.path,
        caseNumber: sealed.case,
        version: sealed.version,
        tagManifestSha256: sealed.tagManifestSha256,
        files: await listPackageFiles(sealed.path),
        sealEntry,
      });
    }
    const bagInfo = parseBagInfo(await readFile(join(packages[0]!.dir, BAG_INFO_NAME), 'utf8'));
    const stationId = bagInfoValue(bagInfo, BAG_INFO.stationId)!;
    const keys: TestStationKeys = {
      id: stationId,
      name: 'Sealing station 封存站',
      privateKey: createPrivateKey(await readFile(join(station.dataDir, 'keys', 'station.key'))),
      publicKeyPem: await readFile(join(station.dataDir, 'keys', 'station.pub.pem'), 'utf8'),
    };
    return { station, keys, packages, cleanup: () => station.cleanup() };
  } catch (error) {
    await station.cleanup();
    throw error;
  }
}

/** Every file of a package folder, with its SHA-256 and size, as a commit lists them. */
export async function listPackageFiles(dir: string): Promise<CommitFile[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: CommitFile[] = [];
  for (const e of entries) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    files.push({
      path: relative(dir, abs).split(sep).join('/'),
      sha256: await sha256Of(abs),
      size: (await stat(abs)).size,
    });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

export function commitBody(p: SealedPackage): CommitRequest {
  return {
    caseNumber: p.caseNumber,
    version: p.version,
    tagManifestSha256: p.tagManifestSha256,
    files: p.files,
    sealEntry: p.sealEntry,
  };
}
