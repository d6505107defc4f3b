import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/core/engine';
import type { CallContext } from '../../src/core/engineApi';

/**
 * `tsx test/sync/seedApprovedCaseMain.ts <dataDir> <password>` makes a station with an admin
 * `admin` and a supervisor `li` (both with `password`), one case of a 2 MiB evidence file sealed
 * by the admin and approved by `li`, and prints `{ "number": … }`. For the sync e2e, whose
 * Playwright loader cannot import the engine (see test/support/seedLibraryMain.ts).
 */
async function main(argv: string[]): Promise<void> {
  const [dataDir, password] = argv;
  if (!dataDir || !password) {
    process.stderr.write('usage: seedApprovedCaseMain.ts <dataDir> <password>\n');
    process.exitCode = 2;
    return;
  }
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const engine = await createEngine({ dataDir, runJobs: false, log: silent });
  try {
    const admin = await engine.call(
      'auth.setupAdmin',
      { name: 'admin', displayName: '李队长', password },
      { sessionId: null, via: 'test' },
    );
    const as = (sessionId: string): CallContext => ({ sessionId, via: 'test' });
    await engine.call('accounts.create', { name: 'li', password, role: 'supervisor' }, as(admin.sessionId));
    const li = await engine.call('auth.signIn', { name: 'li', password }, { sessionId: null, via: 'test' });
    const source = await mkdtemp(join(tmpdir(), 'station-e2e-camera-'));
    const file = join(source, 'BODYCAM_0001.bin');
    await writeFile(file, randomBytes(2 * 1024 * 1024));
    const { importId } = await engine.call(
      'import.start',
      { paths: [file], includeNonMedia: true },
      as(admin.sessionId),
    );
    const record = await engine.waitForImport(importId);
    // The station holds its verified copy; the "camera" is not needed any more.
    await rm(source, { recursive: true, force: true });
    const itemId = record.files[0]?.itemId;
    if (!itemId) throw new Error('the evidence file was not imported');
    const c = await engine.call(
      'cases.create',
      { title: '淮海中路占道经营', place: '淮海中路 18 号' },
      as(admin.sessionId),
    );
    await engine.call('cases.addItems', { caseId: c.id, itemIds: [itemId] }, as(admin.sessionId));
    const sealed = await engine.call('cases.seal', { caseId: c.id }, as(admin.sessionId));
    await engine.call('cases.approve', { caseId: c.id }, as(li.sessionId));
    process.stdout.write(`${JSON.stringify({ number: sealed.case })}\n`);
  } finally {
    await engine.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
