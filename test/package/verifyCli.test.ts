import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { zipBag } from '../../src/core/package/zipBag';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { runCli } from '../engine/cliRunner';
import { makeTempDir, removeTree } from '../engine/harness';
import { flipByte, makeTestBag, makeTestKey, rehashManifestLine, resign, type TestBag } from '../support/testBag';

/**
 * The tamper matrix of issue 8 through the real `verify` command: every change to a sealed
 * package fails with exit 1 and names the right kind of problem; a fresh package is intact.
 */

const run = promisify(execFile);
const root = await makeTempDir('verifycli');
afterAll(() => removeTree(root));

interface Verdict {
  code: number | null;
  json: {
    ok: boolean;
    case: string | null;
    version: number | null;
    fingerprint: string | null;
    keyKnown: boolean;
    keyTrust: string;
    warnings: string[];
    problems: Array<{ path: string; kind: string; detail: string }>;
  };
}

async function verifyCli(path: string, ...extra: string[]): Promise<Verdict> {
  const r = await runCli(['verify', path, '--json', ...extra]);
  expect(r.stderr).toBe('');
  return { code: r.code, json: JSON.parse(r.stdout) as Verdict['json'] };
}

function kinds(v: Verdict): string[] {
  return [...new Set(v.json.problems.map((p) => p.kind))].sort();
}

let n = 0;
async function freshBag(): Promise<TestBag> {
  return makeTestBag(join(root, `bag-${++n}`, 'ZF-2026-00012-v1'));
}

describe('verify: a fresh package', { timeout: 240_000 }, () => {
  it('is intact, with an unknown-key warning, and prints the documented JSON', async () => {
    const bag = await freshBag();
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(0);
    expect(v.json).toMatchObject({
      ok: true,
      case: 'ZF-2026-00012',
      version: 1,
      fingerprint: bag.key.fingerprint,
      keyKnown: false,
      keyTrust: 'unknown',
      problems: [],
    });
    expect(v.json.warnings).toHaveLength(1);
    const human = await runCli(['verify', bag.dir]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^intact$/m);
    expect(human.stdout).toMatch(/^warning: /m);
  });

  it('exits 2 on a usage mistake and 1 on a path that is no package', async () => {
    expect((await runCli(['verify'])).code).toBe(2);
    expect((await runCli(['verify', root, '--expect-fingerprint', 'abc'])).code).toBe(2);
    const missing = join(root, 'nothing-here');
    const none = await runCli(['verify', missing]);
    expect(none.code).toBe(1);
    // Said as what it is, not as a damaged package.
    expect(none.stderr).toContain(`No package at ${missing}`);
    expect(none.stderr).not.toContain('damaged');
  });
});

describe('verify: the tamper matrix', { timeout: 240_000 }, () => {
  const oneByte: Array<[string, (b: TestBag) => string, string[]]> = [
    ['an original', (b) => b.paths.originals[0]!, ['changed']],
    ['a clip', (b) => b.paths.clip, ['changed']],
    ['case.json', () => 'data/case.json', ['changed']],
    ['custody.jsonl', () => 'data/custody.jsonl', ['changed']],
    ['report.pdf', () => 'data/report.pdf', ['changed']],
    ['bag-info.txt', () => 'bag-info.txt', ['tagManifest']],
  ];
  for (const [what, pathOf, expected] of oneByte) {
    it(`one byte changed in ${what} → ${expected.join(', ')}`, async () => {
      const bag = await freshBag();
      const path = pathOf(bag);
      // bag-info.txt: a byte of the office name, so the file still parses.
      await flipByte(bag.dir, path, path === 'bag-info.txt' ? 'Source-Organization: '.length + 1 : undefined);
      const v = await verifyCli(bag.dir);
      expect(v.code).toBe(1);
      for (const k of expected) expect(kinds(v)).toContain(k);
      expect(v.json.problems.find((p) => p.kind === expected[0])!.path).toBe(path);
    });
  }

  it('a file changed and its manifest line recomputed: only the tag manifest catches it', async () => {
    const bag = await freshBag();
    await flipByte(bag.dir, 'data/report.pdf');
    await rehashManifestLine(bag.dir, 'manifest-sha256.txt', 'data/report.pdf');
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['tagManifest']);
    expect(v.json.problems[0]!.path).toBe('manifest-sha256.txt');
  });

  it('…and the tag manifest recomputed too: only the signature catches it', async () => {
    const bag = await freshBag();
    await flipByte(bag.dir, 'data/report.pdf');
    await rehashManifestLine(bag.dir, 'manifest-sha256.txt', 'data/report.pdf');
    await rehashManifestLine(bag.dir, 'tagmanifest-sha256.txt', 'manifest-sha256.txt');
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['signature']);
  });

  it('a payload file added → extra; a tag file added → extra; a file under seal/ is allowed', async () => {
    const bag = await freshBag();
    await writeFile(join(bag.dir, 'data/originals/planted.mp4'), 'planted');
    await writeFile(join(bag.dir, 'notes.txt'), 'planted');
    await writeFile(join(bag.dir, 'seal/approval.json'), '{}');
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(
      v.json.problems
        .filter((p) => p.kind === 'extra')
        .map((p) => p.path)
        .sort(),
    ).toEqual(['data/originals/planted.mp4', 'notes.txt']);
    expect(kinds(v)).toContain('caseJson');
  });

  it('a file deleted → missing', async () => {
    const bag = await freshBag();
    await rm(join(bag.dir, bag.paths.clip));
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(v.json.problems).toContainEqual(expect.objectContaining({ kind: 'missing', path: bag.paths.clip }));
  });

  it('a file renamed → missing and extra', async () => {
    const bag = await freshBag();
    const renamed = 'data/stills/0001_renamed.jpg';
    await rename(join(bag.dir, bag.paths.still), join(bag.dir, renamed));
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(v.json.problems).toContainEqual(expect.objectContaining({ kind: 'missing', path: bag.paths.still }));
    expect(v.json.problems).toContainEqual(expect.objectContaining({ kind: 'extra', path: renamed }));
  });

  it('the public key replaced by another station key with a fresh valid signature → fingerprint', async () => {
    const bag = await freshBag();
    const other = makeTestKey();
    await resign(bag.dir, other);
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['fingerprint']);
    expect(v.json.fingerprint).toBe(other.fingerprint);
  });

  it('a custody entry edited with everything recomputed and re-signed → custody', async () => {
    const bag = await freshBag();
    const file = join(bag.dir, 'data/custody.jsonl');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"actor":"reviewer1"', '"actor":"reviewer2"'));
    await rehashManifestLine(bag.dir, 'manifest-sha256.txt', 'data/custody.jsonl');
    await resign(bag.dir, bag.key);
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['custody']);
  });

  it('case.json disagreeing with the manifest, everything re-signed → caseJson', async () => {
    const bag = await freshBag();
    const file = join(bag.dir, 'data/case.json');
    const caseJson = JSON.parse(await readFile(file, 'utf8')) as TestBag['caseJson'];
    caseJson.items[0]!.sha256 = 'f'.repeat(64);
    // Same length, so Payload-Oxum still holds: only case.json's own check can catch it.
    await writeFile(file, `${JSON.stringify(caseJson, null, 2)}\n`);
    await rehashManifestLine(bag.dir, 'manifest-sha256.txt', 'data/case.json');
    await resign(bag.dir, bag.key);
    const v = await verifyCli(bag.dir);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['caseJson']);
  });

  it('a package re-made under another key (bag-info and case.json edited, re-signed) is caught only by --expect-fingerprint and --data', async () => {
    const bag = await freshBag();
    const forger = makeTestKey();
    const info = join(bag.dir, 'bag-info.txt');
    await writeFile(info, (await readFile(info, 'utf8')).replace(bag.key.fingerprint, forger.fingerprint));
    const caseFile = join(bag.dir, 'data/case.json');
    await writeFile(caseFile, (await readFile(caseFile, 'utf8')).replace(bag.key.fingerprint, forger.fingerprint));
    await rehashManifestLine(bag.dir, 'manifest-sha256.txt', 'data/case.json');
    await resign(bag.dir, forger);

    const plain = await verifyCli(bag.dir);
    expect(plain.code).toBe(0);
    expect(plain.json.warnings).toHaveLength(1);
    expect(plain.json.fingerprint).toBe(forger.fingerprint);

    const expected = await verifyCli(bag.dir, '--expect-fingerprint', bag.key.fingerprint.replace(/(.{4})/g, '$1 '));
    expect(expected.code).toBe(1);
    expect(kinds(expected)).toEqual(['fingerprint']);

    // A folder holding only the real key's public file, as if it were the sealing station's.
    const stationData = join(root, `data-${n}`);
    await mkdir(join(stationData, 'keys'), { recursive: true });
    await writeFile(join(stationData, 'keys/station.pub.pem'), bag.key.publicKeyPem);
    const own = await verifyCli(bag.dir, '--data', stationData);
    expect(own.code).toBe(1);
    expect(kinds(own)).toEqual(['fingerprint']);

    // A trusted_keys row planted in a hand-made database is vouched for by no custody entry.
    const plantedData = join(root, `data-planted-${n}`);
    await mkdir(plantedData);
    const db = new Database(join(plantedData, 'station.db'));
    db.exec(`CREATE TABLE trusted_keys(fingerprint TEXT PRIMARY KEY, label TEXT, public_key_pem TEXT,
      imported_by TEXT, imported_at TEXT, custody_seq INTEGER)`);
    db.prepare('INSERT INTO trusted_keys VALUES (?, ?, ?, ?, ?, ?)').run(
      bag.key.fingerprint,
      'office station 2',
      bag.key.publicKeyPem,
      'admin',
      '2026-03-01T00:00:00Z',
      1,
    );
    db.close();
    const planted = await verifyCli(bag.dir, '--data', plantedData);
    expect(planted.code).toBe(1);
    expect(kinds(planted)).toEqual(['fingerprint']);

    // Another station of the office, which imported the real key with `key import`: still not the forger's.
    const otherData = join(root, `data-other-${n}`);
    expect((await runCli(['init', '--admin', 'admin', '--data', otherData])).code).toBe(0);
    const keyFile = join(root, `office-station-2-${n}.pub.pem`);
    await writeFile(keyFile, bag.key.publicKeyPem);
    const keyImport = await runCli(['key', 'import', keyFile, '--label', 'office station 2', '--data', otherData]);
    expect(keyImport.code, keyImport.stderr).toBe(0);
    const imported = await verifyCli(bag.dir, '--data', otherData);
    expect(imported.code).toBe(1);
    expect(kinds(imported)).toEqual(['fingerprint']);
    // …while the real package is recognised there as imported.
    const real = await makeTestBag(join(root, `real-${n}`, 'ZF-2026-00012-v1'), { key: bag.key });
    const recognised = await verifyCli(real.dir, '--data', otherData);
    expect(recognised.code).toBe(0);
    expect(recognised.json).toMatchObject({ keyKnown: true, keyTrust: 'imported', warnings: [] });
    // A bare public key file, with no station database and no key.create entry behind it, vouches
    // for nothing (keyTrust.ts): the real package is not "this station's" there. A real station's
    // own key is recognised in attack2.test.ts (A2-9) and seal.test.ts.
    const bareKey = await verifyCli(real.dir, '--data', stationData);
    expect(bareKey.json).toMatchObject({ ok: false, keyKnown: false, keyTrust: 'unknown' });
  });

  it('a --data folder with no keys and no database recognises nothing', async () => {
    const bag = await freshBag();
    const empty = join(root, 'empty-data');
    await mkdir(empty, { recursive: true });
    const v = await verifyCli(bag.dir, '--data', empty);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['fingerprint']);
  });

  it('prints hostile paths escaped, one problem per line', async () => {
    const bag = await freshBag();
    await writeFile(join(bag.dir, 'data/evil\nintact\u202e.txt'), 'x');
    const r = await runCli(['verify', bag.dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/^intact$/m);
    expect(r.stdout).toContain('data/evil\\nintact\\u{202e}.txt');
  });
});

describe('verify: zips', { timeout: 240_000 }, () => {
  it('a zip of a bag verifies, entries hashed in place; unzipping gives the bag folder', async () => {
    const bag = await freshBag();
    const zip = join(root, 'round.zip');
    await zipBag(bag.dir, zip, { bagName: 'ZF-2026-00012-v1' });
    const v = await verifyCli(zip);
    expect(v.code).toBe(0);
    expect(v.json.case).toBe('ZF-2026-00012');
    const out = join(root, 'unzipped');
    await mkdir(out);
    await run('unzip', ['-q', zip, '-d', out]);
    const inner = join(out, 'ZF-2026-00012-v1');
    await run('sha256sum', ['-c', '--strict', '--quiet', 'manifest-sha256.txt'], { cwd: inner });
    await run('sha256sum', ['-c', '--strict', '--quiet', 'tagmanifest-sha256.txt'], { cwd: inner });
    expect((await verifyPackage(inner)).ok).toBe(true);
  });

  it('a forced ZIP64 zip verifies and unzip accepts it', async () => {
    const bag = await freshBag();
    const zip = join(root, 'zip64.zip');
    await zipBag(bag.dir, zip, { bagName: 'ZF-2026-00012-v1', forceZip64: true });
    const bytes = await readFile(zip);
    // The ZIP64 end of central directory record's signature.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    await run('unzip', ['-tq', zip]);
    expect((await verifyCli(zip)).code).toBe(0);
  });

  it('one byte changed inside a zip entry → changed', async () => {
    const bag = await freshBag();
    const zip = join(root, 'flipped.zip');
    await zipBag(bag.dir, zip, { bagName: 'ZF-2026-00012-v1' });
    const bytes = await readFile(zip);
    // The first original is the largest entry; its middle is far from any header.
    const at = bytes.indexOf(
      await readFile(join(bag.dir, bag.paths.originals[0]!)).then((b) => b.subarray(1000, 1064)),
    );
    expect(at).toBeGreaterThan(0);
    bytes[at + 10] = bytes[at + 10]! ^ 0xff;
    await writeFile(zip, bytes);
    const v = await verifyCli(zip);
    expect(v.code).toBe(1);
    expect(v.json.problems).toContainEqual(expect.objectContaining({ kind: 'changed', path: bag.paths.originals[0] }));
  });

  it('a truncated zip → format, not a crash', async () => {
    const bag = await freshBag();
    const zip = join(root, 'truncated.zip');
    await zipBag(bag.dir, zip, { bagName: 'ZF-2026-00012-v1' });
    await truncate(zip, 200_000);
    const v = await verifyCli(zip);
    expect(v.code).toBe(1);
    expect(kinds(v)).toEqual(['format']);
    await writeFile(join(root, 'garbage.zip'), 'not a zip at all');
    const g = await verifyCli(join(root, 'garbage.zip'));
    expect(g.code).toBe(1);
    expect(kinds(g)).toEqual(['format']);
  });
});
