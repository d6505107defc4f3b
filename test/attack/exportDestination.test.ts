import { mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { codeOf, openStation, type TestStation } from '../engine/harness';

/**
 * An export is for a medium. Whoever signs in (a reviewer through the web host) must not be able
 * to write a package into the station's own data folder, directly, through `..` or through a link.
 */

let station: TestStation;
let caseId: string;

beforeAll(async () => {
  station = await openStation();
  const record = await station.importAndWait([getMediaFixtures().h264]);
  const c = await station.call('cases.create', { title: 'export target' });
  await station.call('cases.addItems', { caseId: c.id, itemIds: [record.files[0]!.itemId!] });
  await station.call('cases.seal', { caseId: c.id });
  caseId = c.id;
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
});

describe('export destination', () => {
  it('refuses the data folder, a folder inside it, a `..` path and a link into it', async () => {
    const link = join(station.root, 'looks-like-usb');
    await symlink(join(station.dataDir, 'evidence'), link);
    await mkdir(join(station.root, 'usb'));
    const targets = [
      station.dataDir,
      join(station.dataDir, 'evidence'),
      join(station.root, 'usb', '..', 'data', 'packages'),
      link,
    ];
    let n = 0;
    for (const to of targets) {
      const jobId = `attack-export-${++n}`;
      expect(await codeOf(station.call('cases.export', { caseId, to, zip: false, jobId }))).toBe('export.destination');
    }
    expect((await readdir(join(station.dataDir, 'evidence'))).sort()).toEqual(['sha256']);
    const ok = await station.call('cases.export', {
      caseId,
      to: join(station.root, 'usb'),
      zip: true,
      jobId: 'attack-ok-1',
    });
    expect(ok.verified).toBe(true);
  }, 120_000);
});
