import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import {
  closeSync,
  constants,
  createWriteStream,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { readKnownKeys } from '../../src/core/keys/knownKeys';
import { keyPaths } from '../../src/core/keys/stationKey';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { listBagFiles } from '../../src/core/package/zipBag';
import yazl from 'yazl';
import type { CaseDetail } from '../../src/shared/reviewSchemas';
import { getMediaFixtures } from '../fixtures';
import { runCli, spawnCli } from './cliRunner';
import { codeOf, makeTempDir, openStation, removeTree, type TestStation } from './harness';
import { tamper } from './tamper';

/**
 * Red-team findings (attack2, 2026-12-02) on a real station: each block reproduces one break that
 * holds today and is skipped so the suite stays green; the lead enables a block with its fix. The
 * attacker is the station's OS user (or anyone who can write its data folder) without the
 * station's private key, or a defence expert handed a package and the station's `--data`.
 */

let station: TestStation;
let medium: string;
let caseA: CaseDetail;
let caseB: CaseDetail;
let packageA: string;
let packageB: string;
let tagA: string;
let tagB: string;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  medium = await makeTempDir('attack2-medium');
  const record = await station.importAndWait([fx.h264, fx.chineseName]);
  const [one, two] = record.files.map((f) => f.itemId!);
  caseA = await station.call('cases.create', { title: 'Case A' });
  caseB = await station.call('cases.create', { title: 'Case B' });
  await station.call('cases.addItems', { caseId: caseA.id, itemIds: [one!] });
  await station.call('cases.addItems', { caseId: caseB.id, itemIds: [two!] });
  const sealA = await station.call('cases.seal', { caseId: caseA.id });
  const sealB = await station.call('cases.seal', { caseId: caseB.id });
  packageA = sealA.path;
  packageB = sealB.path;
  tagA = sealA.tagManifestSha256;
  tagB = sealB.tagManifestSha256;
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await removeTree(medium);
});

async function makeWritable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { withFileTypes: true }))
    if (e.isDirectory()) await makeWritable(join(dir, e.name));
}

/** Puts the contents of `from` (another sealed package of this station) where `to` is, keeping `to`'s name. */
async function swapPackage(from: string, to: string, keep: string): Promise<void> {
  await makeWritable(to);
  await rename(to, keep);
  await cp(from, to, { recursive: true });
}

async function restorePackage(to: string, keep: string): Promise<void> {
  await makeWritable(to);
  await rm(to, { recursive: true, force: true });
  await rename(keep, to);
}

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/**
 * What a forger without the station's key does: edit `case.json`, recompute both manifests, put
 * their own public key in `seal/`, name its fingerprint in `bag-info.txt` and `case.json`, and sign.
 */
async function forgeBag(
  source: string,
  dest: string,
  key: { privateKey: KeyObject; publicKey: KeyObject },
): Promise<string> {
  await cp(source, dest, { recursive: true });
  await makeWritable(dest);
  const fp = keyFingerprint(key.publicKey);
  const bagInfo = await readFile(join(dest, 'bag-info.txt'), 'utf8');
  const old = /Station-Key-Fingerprint: (\S+)/.exec(bagInfo)![1]!;
  const files = (await readdir(dest, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => relative(dest, join(e.parentPath, e.name)));
  for (const f of files) await chmod(join(dest, f), 0o644);
  const caseJson = join(dest, 'data/case.json');
  await writeFile(caseJson, (await readFile(caseJson, 'utf8')).replace('"Case A"', '"Forged"').replaceAll(old, fp));
  const payload = files.filter((f) => f.startsWith('data/')).sort();
  const lines = await Promise.all(payload.map(async (f) => `${sha256(await readFile(join(dest, f)))}  ${f}\n`));
  await writeFile(join(dest, 'manifest-sha256.txt'), lines.join(''));
  await writeFile(join(dest, 'seal/station.pub.pem'), key.publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(join(dest, 'bag-info.txt'), bagInfo.replaceAll(old, fp));
  const tagFiles = ['bag-info.txt', 'bagit.txt', 'manifest-sha256.txt', 'seal/station.pub.pem'];
  const tag = (await Promise.all(tagFiles.map(async (f) => `${sha256(await readFile(join(dest, f)))}  ${f}\n`))).join(
    '',
  );
  await writeFile(join(dest, 'tagmanifest-sha256.txt'), tag);
  await writeFile(join(dest, 'seal/tagmanifest-sha256.txt.sig'), sign(null, Buffer.from(tag), key.privateKey));
  return fp;
}

// ATTACK: A2-1 — export ships a package that is not the one sealed. `check` sees that the tag
// manifest in packages/ is not the sealed one, but `cases.export` verifies the copy only against
// the station's fingerprint: another version's (or case's) package, signed by the same station,
// put in its folder is exported as "exported and verified" and recorded as this version's export.
describe('A2-1 export of a package swapped for another sealed package of the station', () => {
  it('refuses to export, and records the failure', async () => {
    const keep = join(station.root, 'attack-keep');
    await swapPackage(packageB, packageA, keep);
    try {
      const check = await station.call('station.check', { rehash: false });
      expect(check.problems.some((p) => p.kind === 'package')).toBe(true); // check already sees it
      const code = await codeOf(
        station.call('cases.export', { caseId: caseA.id, to: medium, zip: false, jobId: 'attack2-a2-1' }),
      );
      expect(code).not.toBe('resolved');
      expect(await readdir(medium)).toEqual([]);
    } finally {
      await restorePackage(packageA, keep);
      await rm(medium, { recursive: true, force: true });
      await makeTempDirAt(medium);
    }
  });
});

// ATTACK: A2-2 — the sealed tag-manifest hash is trusted from the `case_versions` row alone. With
// the package swapped AND the row's tag_manifest_sha256 edited (triggers dropped, as the tamper
// helper does), `check` and `log verify` are clean and export says "exported and verified", although
// the chained, checkpoint-signed `case.seal` entry names a different tag manifest.
describe('A2-2 case_versions row edited to match a swapped package', () => {
  it('check names the package; export refuses', async () => {
    const keep = join(station.root, 'attack-keep');
    await swapPackage(packageB, packageA, keep);
    tamper(station.dataDir, (db) =>
      db.prepare('UPDATE case_versions SET tag_manifest_sha256 = ? WHERE tag_manifest_sha256 = ?').run(tagB, tagA),
    );
    try {
      await station.reopen();
      const check = await station.call('station.check', { rehash: false });
      expect(check.problems.filter((p) => p.kind === 'package').map((p) => p.detail)).not.toEqual([]);
      const code = await codeOf(
        station.call('cases.export', { caseId: caseA.id, to: medium, zip: false, jobId: 'attack2-a2-2' }),
      );
      expect(code).not.toBe('resolved');
    } finally {
      tamper(station.dataDir, (db) =>
        db
          .prepare('UPDATE case_versions SET tag_manifest_sha256 = ? WHERE case_id = ? AND version = 1')
          .run(tagA, caseA.id),
      );
      await restorePackage(packageA, keep);
      await rm(medium, { recursive: true, force: true });
      await makeTempDirAt(medium);
    }
  });
});

// ATTACK: A2-3 — a `trusted_keys` row inserted with sqlite3 (no `key.import` entry; its
// custody_seq points at any old entry) makes `verify --data` call a forged package signed by that
// key "a key imported on this station" and intact; `check` and `log verify` say nothing.
describe('A2-3 a trusted key inserted into the database without key import', () => {
  it('verify --data does not trust it, and check names it', async () => {
    const root = await makeTempDir('attack2-forge');
    try {
      const key = generateKeyPairSync('ed25519');
      const fp = await forgeBag(packageA, join(root, 'bag'), key);
      tamper(station.dataDir, (db) =>
        db
          .prepare(
            `INSERT INTO trusted_keys (fingerprint, label, public_key_pem, imported_by, imported_at, custody_seq)
             VALUES (?, 'Station 2', ?, 'admin', '2026-12-01T00:00:00.000Z', 1)`,
          )
          .run(fp, key.publicKey.export({ type: 'spki', format: 'pem' })),
      );
      const report = await verifyPackage(join(root, 'bag'), { known: await readKnownKeys(station.dataDir) });
      expect(report.keyTrust).not.toBe('imported');
      expect(report.ok).toBe(false);
      await station.reopen();
      // The engine's own verify (the Verify screen) does not trust the planted row either.
      const viaEngine = await station.call('package.verify', { path: join(root, 'bag') });
      expect(viaEngine.keyTrust).not.toBe('imported');
      expect(viaEngine.ok).toBe(false);
      const check = await station.call('station.check', { rehash: false });
      expect(check.ok).toBe(false);
      expect(check.problems).toContainEqual(expect.objectContaining({ kind: 'trustedKey', seq: 1 }));
    } finally {
      tamper(station.dataDir, (db) => db.prepare(`DELETE FROM trusted_keys WHERE label = 'Station 2'`).run());
      await removeTree(root);
    }
  });
});

// ATTACK: A2-4 — keys/station.pub.pem replaced by a forger's public key (possible even when the
// private key is passphrase-protected and cannot be read): `verify --data` calls a forged package
// "this station's own key" and intact, and `key show` prints the forger's fingerprint — the one a
// defence expert is told to compare with. The engine itself does notice (key.damaged at start).
describe('A2-4 the station public key file replaced', () => {
  it('verify --data and key show do not vouch for the replaced key', async () => {
    const root = await makeTempDir('attack2-pub');
    const pubFile = keyPaths(station.dataDir).publicKey;
    const original = await readFile(pubFile);
    try {
      await station.engine.close();
      const key = generateKeyPairSync('ed25519');
      const fp = await forgeBag(packageA, join(root, 'bag'), key);
      await chmod(pubFile, 0o644);
      await writeFile(pubFile, key.publicKey.export({ type: 'spki', format: 'pem' }));
      const report = await verifyPackage(join(root, 'bag'), { known: await readKnownKeys(station.dataDir) });
      expect(report.keyTrust).not.toBe('station');
      expect(report.ok).toBe(false);
      const shown = await runCli(['key', 'show', '--json', '--data', station.dataDir], { STATION_PASSWORD: '' });
      expect(shown.code).not.toBe(0);
      expect(shown.stdout).not.toContain(fp);
    } finally {
      await writeFile(pubFile, original);
      await removeTree(root);
      await station.reopen();
    }
  });
});

async function makeTempDirAt(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

// ATTACK: A2-5 — reopening a case whose current version is already a draft (v1 sealed, v2 being
// edited, or a reopen sent while a seal of v2 runs) is refused with "The case has no sealed version
// yet. Seal it first." — false: v1 is sealed. A reviewer reads that the seal was lost.
describe('A2-5 reopen of a case that is already a draft', () => {
  it('says the current version is a draft, not that nothing is sealed', async () => {
    const c = await station.call('cases.create', { title: 'Reopen twice' });
    const items = (await station.call('cases.get', { ref: caseA.id })).items.map((i) => i.item.id);
    await station.call('cases.addItems', { caseId: c.id, itemIds: items });
    await station.call('cases.seal', { caseId: c.id });
    await station.call('cases.reopen', { caseId: c.id, reason: 'a still was missing' });
    expect(await codeOf(station.call('cases.reopen', { caseId: c.id, reason: 'again' }))).toBe('case.alreadyDraft');
  });
});

// ATTACK: A2-6 — a zip's entry attributes are covered by no hash. Flipping one entry's Unix mode to
// a symlink (every byte of every entry unchanged, nothing re-signed) leaves our `verify` saying
// intact, while unzip makes that file a link and `sha256sum -c` (the report's own command) fails.
describe('A2-6 a zip entry marked as a symlink', () => {
  it('verify reports a format problem, as sha256sum -c after unzip does', async () => {
    const root = await makeTempDir('attack2-zip');
    try {
      const zipPath = join(root, 'linked.zip');
      const zip = new yazl.ZipFile();
      for (const path of await listBagFiles(packageA))
        zip.addFile(join(packageA, path), `ZF-v1/${path}`, {
          compress: false,
          mode: path === 'data/report.html' ? 0o120777 : 0o100644,
        });
      zip.end();
      await new Promise<void>((resolve, reject) =>
        zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject),
      );
      const unzipped = join(root, 'out');
      await mkdir(unzipped);
      try {
        execFileSync('unzip', ['-q', zipPath, '-d', unzipped], { stdio: 'ignore' });
      } catch {
        // unzip exits non-zero when it cannot make the link: the extracted bag is already not the bag.
      }
      expect(() =>
        execFileSync('sha256sum', ['-c', '--quiet', 'manifest-sha256.txt'], {
          cwd: join(unzipped, 'ZF-v1'),
          stdio: 'ignore',
        }),
      ).toThrow();
      const report = await verifyPackage(zipPath, {});
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toContain('format');
    } finally {
      await removeTree(root);
    }
  });

  it('verify refuses an entry name with backslashes, which Info-ZIP extracts as one file', async () => {
    const root = await makeTempDir('attack2-zip');
    try {
      const zipPath = join(root, 'backslash.zip');
      const zip = new yazl.ZipFile();
      for (const path of await listBagFiles(packageA))
        zip.addFile(join(packageA, path), `ZF-v1/${path}`, { compress: false, mode: 0o100644 });
      zip.end();
      await new Promise<void>((resolve, reject) =>
        zip.outputStream.pipe(createWriteStream(zipPath)).on('close', resolve).on('error', reject),
      );
      // yazl turns backslashes into slashes, so they are put in afterwards: names carry no checksum.
      const bytes = readFileSync(zipPath);
      const from = Buffer.from('ZF-v1/data/report.html');
      const to = Buffer.from('ZF-v1\\data\\report.html');
      let replaced = 0;
      for (let at = bytes.indexOf(from); at !== -1; at = bytes.indexOf(from, at + 1)) {
        to.copy(bytes, at);
        replaced++;
      }
      expect(replaced).toBe(2);
      writeFileSync(zipPath, bytes);
      const report = await verifyPackage(zipPath, {});
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.kind)).toContain('format');
    } finally {
      await removeTree(root);
    }
  });
});

// ATTACK: A2-7 — a file added to a sealed package's `seal/` in the store (an "approval" nobody
// signed) passes `check`, and every export ships it with "exported and verified"; `verify` only
// warns. The brief: every byte of a version's package but the station's own signed statements is
// the same on every export.
describe('A2-7 an unsigned statement slipped into seal/ of a sealed package', () => {
  it('check names it and export refuses to carry it', async () => {
    const seal = join(packageA, 'seal');
    const forged = join(seal, 'approval.json');
    await chmod(seal, 0o755);
    await writeFile(forged, '{"approvedBy":"Director Li","decision":"approved"}\n');
    try {
      const check = await station.call('station.check', { rehash: false });
      expect(check.ok).toBe(false);
      const code = await codeOf(
        station.call('cases.export', { caseId: caseA.id, to: medium, zip: false, jobId: 'attack2-a2-7' }),
      );
      expect(code).not.toBe('resolved');
      expect(code).toBe('package.damaged');
      expect(check.problems.map((p) => p.detail).join('\n')).toContain('seal/approval.json');
    } finally {
      await rm(forged, { force: true });
      await chmod(seal, 0o555);
      await rm(medium, { recursive: true, force: true });
      await makeTempDirAt(medium);
    }
  });
});

// ATTACK: A2-8 — one byte of a sealed package's payload in the store changed (report.html here:
// not a stored evidence file, so no store re-hash sees it): `check --rehash` says OK, and export
// fails with "The written copy did not verify; it was removed. Try another medium." — the medium
// is fine; the station's sealed package is damaged, and the reviewer is sent from stick to stick.
describe('A2-8 a changed byte in a sealed package in the store', () => {
  it('check --rehash names the package; export says the sealed package is damaged', async () => {
    const file = join(packageA, 'data/report.html');
    const original = await readFile(file);
    await chmod(file, 0o644);
    const changed = Buffer.from(original);
    changed[10] = changed[10]! ^ 0x20;
    await writeFile(file, changed);
    try {
      const check = await station.call('station.check', { rehash: true });
      expect(check.problems.filter((p) => p.kind === 'package')).not.toEqual([]);
      const code = await codeOf(
        station.call('cases.export', { caseId: caseA.id, to: medium, zip: false, jobId: 'attack2-a2-8' }),
      );
      expect(code).not.toBe('resolved');
      expect(code).not.toBe('export.verifyFailed');
      expect(code).toBe('package.damaged');
      const failed = (await station.call('custody.list', { subject: caseA.id, limit: 500 })).entries.filter(
        (e) => e.action === 'case.export.failed',
      );
      expect(failed.at(-1)?.details).toMatchObject({ outcome: 'package.damaged' });
    } finally {
      await writeFile(file, original);
      await chmod(file, 0o444);
      await rm(medium, { recursive: true, force: true });
      await makeTempDirAt(medium);
    }
  });
});

// ATTACK: A2-9 — the chain cut below its newest checkpoint, without the key: the newest entries
// (a whole seal of another case and an export), the checkpoints that cover them, that seal's
// version row and package removed, the head file and custody-checkpoint.json set back to the
// newest checkpoint left (copied from its own database row). `log verify` and `check` are clean:
// without the key nothing on the station itself can tell (the README says so). The export that
// left before the cut carries a checkpoint the cut chain no longer holds, and verifying it against
// the station (`verify --data`, the Verify screen) names the cut.
describe('A2-9 the chain cut below the newest checkpoint, with the newer checkpoints', () => {
  it('an export that left before the cut shows it, verified against the station', async () => {
    const own = await openStation();
    const usb = await makeTempDir('attack2-usb');
    try {
      const fx = getMediaFixtures();
      const [file] = (await own.importAndWait([fx.h264])).files;
      const first = await own.call('cases.create', { title: 'Kept' });
      const second = await own.call('cases.create', { title: 'Made to vanish' });
      await own.call('cases.addItems', { caseId: first.id, itemIds: [file!.itemId!] });
      await own.call('cases.addItems', { caseId: second.id, itemIds: [file!.itemId!] });
      await own.call('cases.seal', { caseId: first.id });
      const sealed = await own.call('cases.seal', { caseId: second.id });
      const exported = await own.call('cases.export', {
        caseId: second.id,
        to: usb,
        zip: false,
        jobId: 'attack2-a2-9',
      });
      const before = await runCli(['verify', exported.path, '--data', own.dataDir, '--json']);
      expect(before.code).toBe(0);
      const carried = (JSON.parse(before.stdout) as { checkpoint: { seq: number } }).checkpoint;
      await own.engine.close();
      const packageDir = sealed.path;
      execFileSync('chmod', ['-R', 'u+w', packageDir]);
      await rm(packageDir, { recursive: true });
      tamper(own.dataDir, (db) => {
        const sealSeq = (
          db.prepare('SELECT seal_seq AS s FROM case_versions WHERE case_id = ?').get(second.id) as { s: number }
        ).s;
        db.prepare('DELETE FROM case_versions WHERE case_id = ?').run(second.id);
        db.prepare(`UPDATE cases SET state = 'draft' WHERE id = ?`).run(second.id);
        db.prepare('DELETE FROM custody_checkpoints WHERE seq >= ?').run(sealSeq);
        db.prepare('DELETE FROM custody WHERE seq >= ?').run(sealSeq);
        const head = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as {
          seq: number;
          hash: string;
        };
        writeFileSync(join(own.dataDir, 'custody-head.json'), `${JSON.stringify(head)}\n`);
        const cp = db.prepare('SELECT * FROM custody_checkpoints ORDER BY id DESC LIMIT 1').get() as {
          statement: string;
          signature: string;
          reason: string;
        };
        const pem = readFileSync(keyPaths(own.dataDir).publicKey, 'utf8');
        const signed = {
          statement: JSON.parse(cp.statement) as unknown,
          statementText: cp.statement,
          signature: cp.signature,
          reason: cp.reason,
          publicKeyPem: pem,
        };
        writeFileSync(join(own.dataDir, 'custody-checkpoint.json'), `${JSON.stringify(signed, null, 2)}\n`);
      });

      // The package itself is as it left: on its own it is intact.
      expect((await runCli(['verify', exported.path, '--json'])).code).toBe(0);
      // Against the station it is not: the station's chain no longer reaches the entry it names.
      const after = await runCli(['verify', exported.path, '--data', own.dataDir, '--json']);
      expect(after.code).toBe(1);
      const report = JSON.parse(after.stdout) as { problems: Array<{ kind: string; detail: string }> };
      expect(report.problems).toContainEqual(
        expect.objectContaining({ kind: 'checkpoint', detail: expect.stringContaining(`entry ${carried.seq}`) }),
      );
      await own.reopen();
      const onScreen = await own.call('package.verify', { path: exported.path });
      expect(onScreen.ok).toBe(false);
      expect(onScreen.checks).toContainEqual({ name: 'checkpoint', ok: false });
    } finally {
      await removeTree(usb);
      await own.cleanup();
    }
  }, 240_000);
});

// ATTACK: A2-10 — an export killed between its rename on the medium and its custody commit leaves
// a complete package that verifies intact on the medium and no trace on the station: no
// `case.export`, no `case.export.failed`, nothing in `check`. The kill lands in that window by
// watching the medium for the rename (inotify), as the bash loop
// `while [ ! -e $USB/ZF-…-v1 ]; do :; done; kill -9 $PID` did on the first try.
describe('A2-10 an export killed right after its rename', () => {
  it('the station records the export (or its interruption) after restart', async () => {
    const root = await makeTempDir('attack2-kill');
    try {
      const data = join(root, 'data');
      const usb = join(root, 'usb');
      await mkdir(usb);
      const cli = (args: string[]) => runCli([...args, '--data', data]);
      expect((await cli(['init', '--admin', 'admin'])).code).toBe(0);
      const imported = await cli(['import', getMediaFixtures().h264, '--json']);
      const id = (JSON.parse(imported.stdout) as Array<{ id: string }>)[0]!.id;
      const created = JSON.parse((await cli(['case', 'create', '--title', 'Killed export', '--json'])).stdout) as {
        number: string;
      };
      expect((await cli(['case', 'add', created.number, id])).code).toBe(0);
      expect((await cli(['seal', created.number])).code).toBe(0);
      const exporting = spawnCli(['export', created.number, '--to', usb, '--data', data]);
      // The publish step first reserves the name with an empty folder (publishExport.ts): the kill
      // waits for the copy itself to take the name.
      const watcher = watch(usb, (_event, name) => {
        if (!name || name.startsWith('.')) return;
        const taken = (() => {
          try {
            return readdirSync(join(usb, name)).length > 0;
          } catch {
            return false;
          }
        })();
        if (taken) exporting.child.kill('SIGKILL');
      });
      const ended = await exporting.done;
      watcher.close();
      expect(ended.signal).toBe('SIGKILL');
      const onMedium = (await readdir(usb)).filter((n) => !n.startsWith('.'));
      expect(onMedium).toEqual([`${created.number}-v1`]);
      expect((await verifyPackage(join(usb, onMedium[0]!), {})).ok).toBe(true);
      const log = await cli(['log', 'show', '--json']);
      const entries = JSON.parse(log.stdout) as Array<{
        seq: number;
        action: string;
        details: Record<string, unknown>;
      }>;
      // The start recorded before the medium was touched is closed by exactly one outcome. The kill
      // lands on a watcher's event, so on a loaded machine the export may have committed its own
      // `case.export` first; otherwise the restart closes it as interrupted, saying what the medium
      // holds. Either way the station knows of the copy (exportIntents.test.ts covers the restart's
      // side without the race).
      const started = entries.find((e) => e.action === 'case.export.started');
      expect(started).toBeDefined();
      const outcomes = entries.filter(
        (e) =>
          ['case.export', 'case.export.failed', 'case.export.interrupted'].includes(e.action) &&
          e.details.startedSeq === started!.seq,
      );
      expect(outcomes).toHaveLength(1);
      const [outcome] = outcomes;
      if (outcome!.action === 'case.export') {
        expect(outcome!.details).toMatchObject({ outcome: 'verified' });
        expect(basename(String(outcome!.details.destination))).toBe(`${created.number}-v1`);
      } else {
        expect(outcome!.action).toBe('case.export.interrupted');
        expect(outcome!.details).toMatchObject({
          name: `${created.number}-v1`,
          mediumReadable: true,
          finalPresent: true,
          finalEmpty: false,
          partials: [],
        });
      }
    } finally {
      await removeTree(root);
    }
  }, 300_000);
});

// ATTACK: A2-11 — `verify` of a folder lists the bag, then its hashing workers open each file by
// path with a plain blocking open (no O_NONBLOCK or O_NOFOLLOW, no check that it is still the
// regular file listed). A payload file swapped for a FIFO after the listing (a hostile medium or a
// second process on the folder) blocks a worker until someone writes to the pipe — forever, on a
// station — and a symlink swapped in is followed outside the bag. Here the swap is made in the first
// progress callback, after the listing and before any file is opened.
describe('A2-11 a payload file swapped for a FIFO after verify listed the bag', () => {
  it('verify never opens the FIFO', async () => {
    const root = await makeTempDir('attack2-fifo');
    const bag = join(root, 'bag');
    try {
      await cp(packageA, bag, { recursive: true });
      await makeWritable(bag);
      const target = join(bag, 'data/report.html');
      let swapped = false;
      let opened = false;
      let done = false;
      const verdict = verifyPackage(bag, {
        onProgress: () => {
          if (swapped) return;
          swapped = true;
          rmSync(target);
          execFileSync('mkfifo', [target]);
        },
      }).finally(() => (done = true));
      // A writer can open a FIFO without blocking only once a reader has it open: that reader is verify.
      while (!done) {
        // Only once the FIFO is there: before the swap the probe would open the regular file
        // itself (as root, its 0444 mode does not stop a writer).
        if (swapped) {
          try {
            closeSync(openSync(target, constants.O_WRONLY | constants.O_NONBLOCK));
            opened = true;
          } catch {
            // ENXIO: no reader yet.
          }
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      const report = await verdict;
      expect(swapped).toBe(true);
      expect(opened).toBe(false);
      expect(report.ok).toBe(false);
    } finally {
      await removeTree(root);
    }
  });
});

// ATTACK: A2-12 — `package.verify` from the UI hosts (any signed-in account, over HTTP or IPC)
// takes any absolute path: no source policy like import's. A reviewer "verifies" the station's own
// data folder (or /root, or /) and the report lists every file name under it as an `extra`
// problem — the disk-wide listing issue 10 closed for fs.listDir — and `/` walks the whole disk.
describe('A2-12 package.verify of the station data folder from the web host', () => {
  it('is refused for a UI host, as import is', async () => {
    await station.call('accounts.create', { name: 'li', password: 'li password 1234', role: 'reviewer' });
    const li = await station.engine.call(
      'auth.signIn',
      { name: 'li', password: 'li password 1234' },
      { sessionId: null, via: 'http' },
    );
    const code = await codeOf(
      station.engine.call('package.verify', { path: station.dataDir }, { sessionId: li.sessionId, via: 'http' }),
    );
    expect(code).toBe('verify.pathNotAllowed');
    for (const path of ['/', join(station.dataDir, 'packages'), packageA])
      expect(
        await codeOf(station.engine.call('package.verify', { path }, { sessionId: li.sessionId, via: 'http' })),
      ).toBe('verify.pathNotAllowed');
    // The engine's own callers (the CLI's host) still verify a package wherever it is.
    expect((await station.call('package.verify', { path: packageA })).ok).toBe(true);
  });
});
