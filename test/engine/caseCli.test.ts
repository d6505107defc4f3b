import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail, Tag, Taxonomy } from '../../src/shared/reviewSchemas';
import type { CustodyEntry } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * The taxonomy, tag and case commands as a script drives them: real child processes on a real data
 * dir. Checked: exit codes (0 ok, 1 a refused action, 2 usage), that `--json` stdout is nothing
 * but JSON in the documented shape, and that each action is in `log show --json`.
 */

let root: string;
let data: string;
let video: { id: string; sha256: string };
let photo: { id: string; sha256: string };

const cli = (...args: string[]) => runCli([...args, '--data', data]);

async function json<T>(...args: string[]): Promise<T> {
  const r = await cli(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  const fx = getMediaFixtures();
  root = await makeTempDir('case-cli');
  data = join(root, 'data');
  const card = join(root, 'card');
  await mkdir(card);
  await copyFile(fx.h264, join(card, 'h264.mp4'));
  await copyFile(fx.photoGps, join(card, 'photo_gps.jpg'));
  expect((await cli('init', '--admin', 'admin')).code).toBe(0);
  const lines = await json<{ relativePath: string; id: string; sha256: string }[]>('import', card);
  const find = (name: string) => lines.find((l) => l.relativePath === name)!;
  video = find('h264.mp4');
  photo = find('photo_gps.jpg');
});

afterAll(async () => {
  await removeTree(root);
});

describe('taxonomy list', () => {
  it('prints the latest catalogue as JSON, or one type a line', async () => {
    const taxonomy = await json<Taxonomy>('taxonomy', 'list');
    expect(taxonomy).toMatchObject({ version: 1, createdBy: 'station' });
    expect(taxonomy.types.find((t) => t.code === 'street-vending')).toEqual({
      code: 'street-vending',
      nameZh: '占道经营',
      nameEn: expect.stringMatching(/^Street vending/),
      legalBasis: expect.any(String),
      retired: false,
    });
    const human = await cli('taxonomy', 'list');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^street-vending +占道经营 +Street vending/m);
    expect((await cli('taxonomy')).code).toBe(2);
  });
});

describe('tag', () => {
  it('tags a range of a recording named by its SHA-256, and a whole item by its id', async () => {
    const ranged = await json<Tag>(
      'tag',
      video.sha256,
      '--type',
      'street-vending',
      '--from',
      '0.5',
      '--to',
      '2.5',
      '--note',
      'stall',
    );
    expect(ranged).toMatchObject({
      itemId: video.id,
      code: 'street-vending',
      taxonomyVersion: 1,
      fromSec: 0.5,
      toSec: 2.5,
      note: 'stall',
      createdBy: 'admin',
      removed: false,
      revision: 1,
    });
    const whole = await json<Tag>('tag', photo.id, '--type', 'illegal-stacking');
    expect(whole).toMatchObject({ itemId: photo.id, fromSec: null, toSec: null, note: '' });
    const human = await cli('tag', video.id, '--type', 'graffiti');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/whole item.*graffiti/);
  });

  it('exits 2 for usage mistakes and 1 for refused tags', async () => {
    expect((await cli('tag', video.id, '--type', 'graffiti', '--from', '1')).code).toBe(2);
    expect((await cli('tag', video.id, '--type', 'graffiti', '--from', 'x', '--to', '2')).code).toBe(2);
    expect((await cli('tag', video.id, '--type', 'graffiti', '--from', '2', '--to', '1')).code).toBe(2);
    expect((await cli('tag', video.id)).code).toBe(2);
    expect((await cli('tag', '--type', 'graffiti')).code).toBe(2);
    const unknown = await cli('tag', video.id, '--type', 'no-such-type');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/taxonomy\.unknownCode/);
    const outside = await cli('tag', video.id, '--type', 'graffiti', '--from', '1', '--to', '9');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/tag\.rangeOutside/);
    expect((await cli('tag', photo.id, '--type', 'graffiti', '--from', '0', '--to', '1')).code).toBe(1);
    expect((await cli('tag', 'f'.repeat(64), '--type', 'graffiti')).code).toBe(1);
  });
});

describe('case', () => {
  let created: CaseDetail;

  it('creates a case and prints it with its id and number', async () => {
    created = await json<CaseDetail>('case', 'create', '--title', 'Stall on Nanjing Road', '--place', '南京东路');
    expect(created).toMatchObject({
      id: expect.any(String),
      number: `ZF-${new Date().getFullYear()}-00001`,
      title: 'Stall on Nanjing Road',
      place: '南京东路',
      state: 'draft',
      items: [],
    });
    expect((await cli('case', 'create')).code).toBe(2);
    expect((await cli('case', 'create', '--title', ' ')).code).toBe(2);
    expect((await cli('case', 'frobnicate')).code).toBe(2);
  });

  it('adds items named by id or SHA-256 to a case named by its number, once each', async () => {
    const r = await cli('case', 'add', created.number, video.sha256, photo.id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/items +2/);
    const again = await json<CaseDetail>('case', 'add', created.id, video.id);
    expect(again.itemCount).toBe(2);
    expect((await cli('case', 'add', created.number)).code).toBe(2);
    const unknownCase = await cli('case', 'add', 'ZF-1999-00001', video.id);
    expect(unknownCase.code).toBe(1);
    expect(unknownCase.stderr).toMatch(/case\.notFound/);
  });

  it('shows the case with its items on one time axis', async () => {
    const shown = await json<CaseDetail>('case', 'show', created.number);
    expect(shown).toEqual(await json<CaseDetail>('case', 'show', created.id));
    expect(shown.items.map((i) => i.item.id)).toEqual([photo.id, video.id]); // 01:30Z before 09:30Z
    expect(shown.items[1]).toMatchObject({
      startsAt: '2026-03-01T09:30:00.000Z',
      endsAt: '2026-03-01T09:30:03.000Z',
      derivation: null,
    });
    expect(shown.items[1]!.tags.map((t) => t.code)).toEqual(['street-vending', 'graffiti']);
    const human = await cli('case', 'show', created.number);
    expect(human.stdout).toMatch(new RegExp(`^case +${created.number} +version 1 \\(draft; 0 sealed\\)`, 'm'));
    expect((await cli('case', 'show', 'ZF-1999-00001')).code).toBe(1);
  });

  it('leaves every action in the custody log', async () => {
    const entries = await json<CustodyEntry[]>('log', 'show');
    const actions = entries.map((e) => e.action);
    expect(actions[0]).toBe('taxonomy.install');
    expect(actions.filter((a) => a === 'tag.add')).toHaveLength(3);
    expect(entries.filter((e) => e.action === 'case.create').map((e) => e.subject)).toEqual([created.id]);
    expect(entries.filter((e) => e.action === 'case.addItem').map((e) => e.sha256)).toEqual([
      video.sha256,
      photo.sha256,
    ]);
    expect((await cli('log', 'verify')).code).toBe(0);
  });
});
