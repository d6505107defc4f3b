import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { DefaultTaxonomyError, defaultResourcesDir } from '../../src/core/taxonomy/installDefault';
import type { ViolationType } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { codeOf, makeTempDir, openStation, quietLogger, removeTree, type TestStation } from './harness';

/**
 * The violation taxonomy on a real station: the default catalogue installed at first start, new
 * versions saved by admins, and old tags keeping the names they were made with.
 */

const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;

let station: TestStation | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await station?.cleanup();
  station = null;
  for (const dir of dirs.splice(0)) await removeTree(dir);
});

async function shippedCatalogue(): Promise<{ note: string; types: Omit<ViolationType, 'retired'>[] }> {
  return JSON.parse(await readFile(join(defaultResourcesDir(), 'taxonomy', 'default.json'), 'utf8')) as {
    note: string;
    types: Omit<ViolationType, 'retired'>[];
  };
}

/** A resources folder holding `content` as its default catalogue. */
async function resourcesWith(content: string): Promise<string> {
  const dir = await makeTempDir('resources');
  dirs.push(dir);
  await mkdir(join(dir, 'taxonomy'));
  await writeFile(join(dir, 'taxonomy', 'default.json'), content);
  return dir;
}

describe('default catalogue', () => {
  it('is installed as version 1 at first start, with its custody entry, and only once', async () => {
    const s = (station = await openStation());
    const shipped = await shippedCatalogue();
    expect(shipped.types.length).toBeGreaterThanOrEqual(15);
    const v1 = await s.call('taxonomy.get', {});
    expect(v1).toMatchObject({ version: 1, createdBy: 'station', note: shipped.note });
    expect(v1.types).toEqual(shipped.types.map((t) => ({ ...t, retired: false })));
    expect(v1.types.find((t) => t.code === 'street-vending')).toMatchObject({ nameZh: '占道经营' });

    const entries = () =>
      s.call('custody.list', {}).then((r) => r.entries.filter((e) => e.action.startsWith('taxonomy')));
    const [install] = await entries();
    expect(install).toMatchObject({ action: 'taxonomy.install', actor: 'station', subject: null, seq: 1 });
    expect(install!.details).toMatchObject({ version: 1, file: join('taxonomy', 'default.json') });
    expect(install!.details.codes).toEqual(shipped.types.map((t) => t.code));

    await s.reopen();
    expect(await entries()).toHaveLength(1);
    expect(await s.call('taxonomy.versions', {})).toEqual([
      { version: 1, createdAt: v1.createdAt, createdBy: 'station', note: shipped.note },
    ]);
    expect((await s.call('custody.verify', {})).ok).toBe(true);
  });

  it('stops the first start with a clear error when the catalogue file is broken or missing', async () => {
    const root = await makeTempDir('broken');
    dirs.push(root);
    const start = async (resourcesDir: string) =>
      createEngine({ dataDir: join(root, 'data'), log: quietLogger(), runJobs: false, resourcesDir }).then(
        async (engine) => {
          await engine.close();
          return 'started';
        },
        (error: unknown) => error,
      );
    const notJson = await start(await resourcesWith('{"note": "x", "types": ['));
    expect(notJson).toBeInstanceOf(DefaultTaxonomyError);
    expect(String(notJson)).toMatch(/default\.json cannot be used: not JSON/);

    const duplicate = { code: 'a', nameZh: '甲', nameEn: 'A', legalBasis: '' };
    const twice = await start(await resourcesWith(JSON.stringify({ note: 'x', types: [duplicate, duplicate] })));
    expect(String(twice)).toMatch(/types: codes must be unique/);

    const badCode = await start(
      await resourcesWith(JSON.stringify({ note: 'x', types: [{ ...duplicate, code: 'a b' }] })),
    );
    expect(String(badCode)).toMatch(/types\.0\.code/);

    const missing = await start(join(root, 'no-such-folder'));
    expect(String(missing)).toMatch(/no-such-folder.*default\.json cannot be used/);

    // Once installed, the file is not needed again: a later start does not read it.
    expect(await start(await resourcesWith(JSON.stringify({ note: 'mine', types: [duplicate] })))).toBe('started');
    expect(await start(join(root, 'no-such-folder'))).toBe('started');
  });
});

describe('taxonomy.update', () => {
  const editedFrom = (types: ViolationType[]): ViolationType[] => [
    ...types.map((t) =>
      t.code === 'street-vending'
        ? { ...t, nameEn: 'Street vending' }
        : t.code === 'graffiti'
          ? { ...t, retired: true }
          : t,
    ),
    {
      code: 'shared-bike-clutter',
      nameZh: '共享单车乱停放',
      nameEn: 'Shared bikes left blocking the way',
      legalBasis: '',
      retired: false,
    },
  ];

  it('saves a new version with its diff on the record; earlier versions stay as they were', async () => {
    const s = (station = await openStation());
    const v1 = await s.call('taxonomy.get', {});
    const v2 = await s.call('taxonomy.update', { types: editedFrom(v1.types), note: 'office memo 2026-7' });
    expect(v2).toMatchObject({ version: 2, createdBy: 'admin', note: 'office memo 2026-7' });
    expect(v2.types.map((t) => t.code)).toEqual([...v1.types.map((t) => t.code), 'shared-bike-clutter']);
    expect(await s.call('taxonomy.get', {})).toEqual(v2);
    expect(await s.call('taxonomy.get', { version: 1 })).toEqual(v1);
    expect((await s.call('taxonomy.versions', {})).map((v) => v.version)).toEqual([2, 1]);
    expect(await codeOf(s.call('taxonomy.get', { version: 3 }))).toBe('taxonomy.versionNotFound');

    const { entries } = await s.call('custody.list', {});
    const update = entries.find((e) => e.action === 'taxonomy.update');
    expect(update).toMatchObject({ actor: 'admin', subject: null });
    expect(update!.details).toEqual({
      version: 2,
      previousVersion: 1,
      note: 'office memo 2026-7',
      added: ['shared-bike-clutter'],
      renamed: ['street-vending'],
      retired: ['graffiti'],
      restored: [],
      legalBasisChanged: [],
    });
  });

  it('keeps the names an old tag was made with; new tags take the latest version', async () => {
    const s = (station = await openStation());
    const record = await s.importAndWait([getMediaFixtures().h264]);
    const itemId = record.files[0]!.itemId!;
    const old = await s.call('tags.add', { itemId, code: 'street-vending', note: '' });
    const graffiti = await s.call('tags.add', { itemId, code: 'graffiti', note: '' });
    await s.call('taxonomy.update', { types: editedFrom((await s.call('taxonomy.get', {})).types), note: 'memo' });
    const fresh = await s.call('tags.add', { itemId, code: 'street-vending', note: '' });

    const tags = await s.call('tags.list', { itemId });
    expect(tags.map((t) => [t.id, t.taxonomyVersion, t.nameEn])).toEqual([
      [old.id, 1, 'Street vending (trading on the public road)'],
      [graffiti.id, 1, 'Graffiti and carving on buildings or facilities'],
      [fresh.id, 2, 'Street vending'],
    ]);
    // A tag on a type retired since keeps it; the type is not offered for new tags.
    expect(await codeOf(s.call('tags.add', { itemId, code: 'graffiti', note: '' }))).toBe('taxonomy.retired');
    expect(await codeOf(s.call('tags.update', { id: old.id, code: 'graffiti' }))).toBe('taxonomy.retired');
    expect(await codeOf(s.call('tags.add', { itemId, code: 'no-such-type', note: '' }))).toBe('taxonomy.unknownCode');
    // Changing a note leaves the tag on its version; changing the code moves it to the latest.
    expect(await s.call('tags.update', { id: old.id, note: 'seen at 09:31' })).toMatchObject({ taxonomyVersion: 1 });
    expect(await s.call('tags.update', { id: graffiti.id, code: 'shared-bike-clutter' })).toMatchObject({
      taxonomyVersion: 2,
      nameZh: '共享单车乱停放',
    });
  });

  it('refuses to drop a code any version has held, and writes nothing', async () => {
    const s = (station = await openStation());
    const v1 = await s.call('taxonomy.get', {});
    await s.call('taxonomy.update', { types: editedFrom(v1.types), note: 'memo' });
    const before = await s.call('custody.list', {});
    const withoutNew = v1.types; // lacks shared-bike-clutter, which version 2 added
    expect(await codeOf(s.call('taxonomy.update', { types: withoutNew, note: 'oops' }))).toBe('taxonomy.typeRemoved');
    const withoutOld = editedFrom(v1.types).filter((t) => t.code !== 'noise-nuisance');
    const refused = await s.call('taxonomy.update', { types: withoutOld, note: 'oops' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'taxonomy.typeRemoved', params: { code: 'noise-nuisance' } });
    expect((await s.call('taxonomy.versions', {})).map((v) => v.version)).toEqual([2, 1]);
    expect((await s.call('custody.list', {})).total).toBe(before.total);
    // Duplicate codes are refused by the contract before the engine sees them.
    const dup = [...v1.types, v1.types[0]!];
    expect(await codeOf(s.call('taxonomy.update', { types: dup, note: 'dup' }))).toBe('input.invalid');
  });

  it('is for admins only; reviewers read it', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const v1 = await s.call('taxonomy.get', {}, reviewer.sessionId);
    expect(await codeOf(s.call('taxonomy.update', { types: v1.types, note: 'x' }, reviewer.sessionId))).toBe(
      'auth.forbidden',
    );
    expect(await s.call('taxonomy.versions', {}, reviewer.sessionId)).toHaveLength(1);
  });
});
