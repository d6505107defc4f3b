import { execFileSync } from 'node:child_process';
import {
  copyFile,
  chmod,
  link,
  mkdir,
  readdir,
  readlink,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallContext } from '../../src/core/engineApi';
import type { ImportFileResult } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { ADMIN, codeOf, makeSparseFile, makeTempDir, nextEvent, openStation, type TestStation } from './harness';

/**
 * Hostile sources: the station's own files, system folders, and files swapped for a FIFO or a
 * link between the scan and the read. Calls are made as each host makes them (`via`), since what
 * a source may reach depends on the host.
 */

let station: TestStation | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
});

const REVIEWER = { name: 'li.wei', password: 'reviewer password 1', role: 'reviewer' } as const;

function as(s: TestStation, via: CallContext['via']): CallContext {
  return { sessionId: s.ctx.sessionId, via };
}

async function importVia(s: TestStation, via: CallContext['via'], paths: string[], includeNonMedia = false) {
  const { importId } = await s.engine.call('import.start', { paths, includeNonMedia }, as(s, via));
  return s.engine.waitForImport(importId);
}

const outcomeOf = (files: ImportFileResult[], name: string) => {
  const file = files.find((f) => f.originalName === name);
  return file ? `${file.status}/${file.reasonCode}` : 'missing';
};

describe('the station never reads its own data folder', () => {
  it('refuses station.db and the data folder from every host, the CLI included', async () => {
    const s = (station = await openStation());
    const db = join(s.dataDir, 'station.db');
    for (const via of ['http', 'ipc', 'cli', 'test'] as const) {
      for (const path of [db, s.dataDir, join(s.dataDir, 'evidence'), join(s.dataDir, '..', 'data', 'station.db')]) {
        expect([via, path, await codeOf(importVia(s, via, [path], true))]).toEqual([via, path, 'import.pathInStation']);
      }
      expect(await codeOf(s.engine.call('fs.listDir', { path: s.dataDir }, as(s, via)))).toBe('import.pathInStation');
    }
  });

  it('refuses a link to the data folder and a hard link to the database, and steps around the data folder', async () => {
    const s = (station = await openStation());
    const outside = join(s.root, 'outside');
    await mkdir(outside);
    await symlink(s.dataDir, join(s.root, 'link-to-data'));
    expect(await codeOf(importVia(s, 'cli', [join(s.root, 'link-to-data', 'station.db')], true))).toBe(
      'import.pathInStation',
    );
    await link(join(s.dataDir, 'station.db'), join(outside, 'copy.db'));
    await copyFile(getMediaFixtures().h264, join(outside, 'clip.mp4'));
    // The temp root holds both the sources and the data folder: a scan of it lists the data
    // folder as refused and does not enter it.
    const record = await importVia(s, 'cli', [s.root], true);
    expect(outcomeOf(record.files, 'copy.db')).toBe('skipped/inStation');
    expect(outcomeOf(record.files, 'data')).toBe('skipped/inStation');
    expect(outcomeOf(record.files, 'clip.mp4')).toBe('imported/null');
    expect(record.files.filter((f) => f.path.startsWith(`${s.dataDir}/`))).toEqual([]);
    expect(record.safeToWipe).toBe(false);
  });
});

describe('what a UI host may reach', () => {
  it('refuses system folders everywhere and other folders in the UI until an admin allows them', async () => {
    const s = (station = await openStation());
    for (const via of ['http', 'ipc', 'cli'] as const) {
      for (const path of ['/etc', '/proc', '/proc/self', '/dev', '/sys', '/boot', '/run', '/etc/../etc/passwd']) {
        const code = await codeOf(s.engine.call('fs.listDir', { path }, as(s, via)));
        expect([via, path, code]).toEqual([via, path, 'import.pathNotAllowed']);
      }
      expect(await codeOf(importVia(s, via, ['/etc/hostname'], true))).toBe('import.pathNotAllowed');
    }
    const sources = join(s.root, 'sources');
    await mkdir(sources);
    await copyFile(getMediaFixtures().h264, join(sources, 'a.mp4'));
    // The temp folder is neither home nor a removable volume.
    expect(await codeOf(s.engine.call('fs.listDir', { path: sources }, as(s, 'http')))).toBe('import.pathNotAllowed');
    expect(await codeOf(importVia(s, 'ipc', [sources]))).toBe('import.pathNotAllowed');
    expect(await codeOf(s.engine.call('fs.listDir', { path: '/' }, as(s, 'http')))).toBe('import.pathNotAllowed');
    // The CLI runs as the OS user, who may read it anyway.
    expect((await importVia(s, 'cli', [sources])).counts.imported).toBe(1);

    // An admin's allowed folders are checked when saved.
    for (const bad of [['relative/path'], ['/etc'], [s.dataDir], [s.root], ['/']]) {
      expect([bad, await codeOf(s.call('settings.update', { importRoots: bad }))]).toEqual([bad, 'input.invalid']);
    }
    await s.call('settings.update', { importRoots: [sources] });
    const listed = await s.engine.call('fs.listDir', { path: sources }, as(s, 'http'));
    expect(listed.entries.map((e) => e.name)).toEqual(['a.mp4']);
    // The way up leaves the allowed folder, so it is not offered.
    expect(listed.parent).toBeNull();
    expect((await importVia(s, 'http', [sources])).counts.duplicate).toBe(1);
    // `..` and links are resolved before the check.
    await symlink('/etc', join(sources, 'etc-link'));
    expect(await codeOf(s.engine.call('fs.listDir', { path: join(sources, 'etc-link') }, as(s, 'http')))).toBe(
      'import.pathNotAllowed',
    );
    expect(await codeOf(importVia(s, 'http', [join(sources, '..')]))).toBe('import.pathNotAllowed');
  });

  it('lets only an admin import files that are not media, and logs that they did', async () => {
    const s = (station = await openStation());
    await s.call('accounts.create', REVIEWER);
    const reviewer = await s.call('auth.signIn', { name: REVIEWER.name, password: REVIEWER.password }, null);
    const notes = join(s.root, 'notes');
    await mkdir(notes);
    await writeFile(join(notes, 'notes.txt'), 'plain text\n');
    const ctx: CallContext = { sessionId: reviewer.sessionId, via: 'cli' };
    const call = s.engine.call('import.start', { paths: [notes], includeNonMedia: true }, ctx);
    expect(await codeOf(call)).toBe('auth.forbidden');
    const { importId } = await s.engine.call('import.start', { paths: [notes], includeNonMedia: false }, ctx);
    expect((await s.engine.waitForImport(importId)).counts.skipped).toBe(1);

    const record = await s.importAndWait([notes], { includeNonMedia: true });
    expect(record.counts.imported).toBe(1);
    const log = await s.call('custody.list', { subject: record.id });
    const start = log.entries.find((e) => e.action === 'import.start');
    expect(start?.actor).toBe(ADMIN.name);
    expect(start?.details).toMatchObject({ includeNonMedia: true });
  });
});

describe('a source swapped after the scan', () => {
  it('fails FIFOs put in place of four files without blocking, and the station still answers', async () => {
    const sources = join(await makeRoot(), 'cam');
    const fixture = getMediaFixtures().h264;
    await mkdir(sources);
    await copyFile(fixture, join(sources, 'a-first.mp4'));
    const victims = ['b.mp4', 'c.mov', 'd.jpg', 'e-no-extension'];
    for (const name of victims) await copyFile(fixture, join(sources, name));
    const s = (station = await openStation({
      testHooks: {
        afterScan: async () => {
          for (const name of victims) {
            await unlink(join(sources, name));
            execFileSync('mkfifo', [join(sources, name)]);
          }
        },
      },
    }));
    const record = await s.importAndWait([sources]);
    expect(record.files.map((f) => [f.originalName, `${f.status}/${f.reasonCode}`])).toEqual([
      ['a-first.mp4', 'imported/null'],
      ['b.mp4', 'failed/notRegularFile'],
      ['c.mov', 'failed/notRegularFile'],
      ['d.jpg', 'failed/notRegularFile'],
      ['e-no-extension', 'failed/notRegularFile'],
    ]);
    expect(record.safeToWipe).toBe(false);
    // Sign-in, media and shutdown still work: no thread is left waiting on a FIFO.
    const again = await s.call('auth.signIn', ADMIN, null);
    const item = record.files[0]!.itemId!;
    // A session streams only what it opened (a view is logged under its account).
    await s.call('items.get', { id: item }, again.sessionId);
    const media = await s.engine.openMedia(item, 'original', { sessionId: again.sessionId, via: 'test' });
    expect(media.size).toBe(record.files[0]!.size);
    await s.reopen();
  });

  it('refuses a link or another file put in place of a scanned file', async () => {
    const root = await makeRoot();
    const sources = join(root, 'cam');
    const fixture = getMediaFixtures().h264;
    await mkdir(sources);
    for (const name of ['link.mp4', 'link-no-ext', 'other.mp4', 'grown.mp4']) {
      await copyFile(fixture, join(sources, name));
    }
    const s = (station = await openStation({
      testHooks: {
        afterScan: async () => {
          const db = join(s.dataDir, 'station.db');
          for (const name of ['link.mp4', 'link-no-ext']) {
            await unlink(join(sources, name));
            await symlink(db, join(sources, name));
          }
          // Same size, same name, another inode.
          await copyFile(fixture, join(root, 'replacement'));
          await rename(join(root, 'replacement'), join(sources, 'other.mp4'));
          await writeFile(join(sources, 'grown.mp4'), 'more', { flag: 'a' });
        },
      },
    }));
    const record = await s.importAndWait([sources]);
    expect(record.files.map((f) => [f.originalName, `${f.status}/${f.reasonCode}`])).toEqual([
      ['grown.mp4', 'failed/changedDuringRead'],
      ['link-no-ext', 'failed/symlinkRefused'],
      ['link.mp4', 'failed/symlinkRefused'],
      ['other.mp4', 'failed/sourceReplaced'],
    ]);
  });
});

describe('cancelling', () => {
  it('leaves no handle open on the source', async () => {
    const root = await makeRoot();
    const source = await makeSparseFile(join(root, 'card.mp4'), 3 * 1024 ** 3);
    const s = (station = await openStation());
    const copying = nextEvent(s.engine, 'import.progress', (p) => p.phase === 'copying' && p.fileBytesDone > 0);
    const { importId } = await s.call('import.start', { paths: [source] });
    await copying;
    await s.call('import.cancel', { importId });
    const record = await s.engine.waitForImport(importId);
    expect(record.state).toBe('cancelled');
    expect(await openFilesUnder(root)).toEqual([]);
  });
});

/** Files below `dir` that this process (every thread of it) holds open. */
async function openFilesUnder(dir: string): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((t) => t.startsWith(`${dir}/`));
}

describe('a folder the scan cannot read', () => {
  it('is a skipped entry with its reason, for root too (a path longer than the system allows)', async () => {
    const root = await makeRoot();
    const sources = join(root, 'cam');
    await mkdir(sources);
    await copyFile(getMediaFixtures().h264, join(sources, 'a.mp4'));
    // Each name is short enough; the path through them is not (PATH_MAX is 4096 on Linux). Perl
    // (in every Debian) steps down by relative names; a shell's `cd` refuses such a path.
    const segment = 'd'.repeat(250);
    const s = (station = await openStation());
    try {
      execFileSync(
        'perl',
        [
          '-e',
          'for (1..17) { mkdir $ARGV[0] or die $!; chdir $ARGV[0] or die $! } open(F, ">x.mp4") or die $!',
          segment,
        ],
        { cwd: sources },
      );
      const record = await s.importAndWait([sources]);
      const unreadable = record.files.filter((f) => f.reasonCode === 'folderUnreadable');
      expect(unreadable).toHaveLength(1);
      expect(unreadable[0]).toMatchObject({ status: 'skipped', reasonDetail: 'ENAMETOOLONG' });
      expect(outcomeOf(record.files, 'a.mp4')).toBe('imported/null');
      expect(record.state).toBe('completed');
      expect(record.safeToWipe).toBe(false);
    } finally {
      execFileSync('rm', ['-rf', join(sources, segment)]);
    }
  });

  it.skipIf(process.getuid?.() === 0)('is a skipped entry when its mode denies reading (not as root)', async () => {
    const root = await makeRoot();
    const sources = join(root, 'cam');
    await mkdir(join(sources, 'locked'), { recursive: true });
    await copyFile(getMediaFixtures().h264, join(sources, 'a.mp4'));
    await chmod(join(sources, 'locked'), 0o000);
    const s = (station = await openStation());
    try {
      const record = await s.importAndWait([sources]);
      expect(outcomeOf(record.files, 'locked')).toBe('skipped/folderUnreadable');
    } finally {
      await chmod(join(sources, 'locked'), 0o700);
    }
  });
});

const roots: string[] = [];
afterEach(async () => {
  for (const r of roots.splice(0)) await rm(r, { recursive: true, force: true });
});

/** A temp folder for sources, separate from the station's (the station is made after it). */
async function makeRoot(): Promise<string> {
  const root = await makeTempDir('sources');
  roots.push(root);
  return root;
}
