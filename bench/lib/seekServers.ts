import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWebHost, type WebHost } from '../../src/web/server';
import { SEEK_PAGE_HTML } from './seekInPage';
import { assertAllStored } from './importRun';
import { openBenchStation, quietLogger, type BenchStation } from './station';
import { startStaticFileServer, type StaticFileServer } from './staticServer';

/** One side of the seek figure: where the page is and which URL its `<video>` plays. */
export interface SeekSide {
  label: 'web host' | 'static server';
  /** Opening it lands on the seek page (for the web host, the token becomes a cookie on the way). */
  pageUrl: string;
  /** Absolute URL of the recording, as a `<video src>` on that page would use it. */
  mediaUrl: string;
  /** Headers a client outside the page (Node's fetch) needs to get the same answers. */
  headers: Record<string, string>;
}

export interface SeekServers {
  host: SeekSide;
  baseline: SeekSide;
  /** The station's stored copy both sides serve. */
  storedPath: string;
  itemId: string;
  close(): Promise<void>;
}

const PAGE = '/seek.html';

/**
 * A bench station holding `source` as evidence, the REAL web host in front of it (token cookie,
 * session checked by the engine on every media request), and a plain static server in front of
 * the very same stored file, so both sides read one inode through one page cache.
 */
export async function startSeekServers(dir: string, source: string): Promise<SeekServers> {
  const station = await openBenchStation(join(dir, 'station'));
  let host: WebHost | undefined;
  let baseline: StaticFileServer | undefined;
  try {
    const { itemId, sha256 } = await importOne(station, source);
    const media = await station.engine.openMedia(itemId, 'play', station.ctx);
    const storedPath = station.engine.storedPathOf(sha256);
    if (media.path !== storedPath) throw new Error('the recording is not browser-playable: `play` would be a proxy');

    const staticDir = join(dir, 'web');
    await mkdir(staticDir, { recursive: true });
    await writeFile(join(staticDir, PAGE.slice(1)), SEEK_PAGE_HTML);
    host = await startWebHost({ engine: station.engine, staticDir, log: quietLogger });
    baseline = await startStaticFileServer({
      [PAGE]: { path: join(staticDir, PAGE.slice(1)), contentType: 'text/html; charset=utf-8' },
      '/recording.mp4': { path: storedPath, contentType: media.mimeType },
    });

    const hostOrigin = `http://127.0.0.1:${host.port}`;
    const session = encodeURIComponent(station.ctx.sessionId ?? '');
    const openedHost = host;
    const openedBaseline = baseline;
    return {
      host: {
        label: 'web host',
        // Each run opens the page in a fresh browser context, and a link opens the host once.
        get pageUrl() {
          return openedHost.newLink().replace('/?token=', `${PAGE}?token=`);
        },
        mediaUrl: `${hostOrigin}/media/${encodeURIComponent(itemId)}/play?s=${session}`,
        headers: { authorization: `Bearer ${host.token}` },
      },
      baseline: {
        label: 'static server',
        pageUrl: `${baseline.origin}${PAGE}`,
        mediaUrl: `${baseline.origin}/recording.mp4`,
        headers: {},
      },
      storedPath,
      itemId,
      async close() {
        await openedHost.close();
        await openedBaseline.close();
        await station.engine.close();
      },
    };
  } catch (error) {
    await host?.close();
    await baseline?.close();
    await station.engine.close();
    throw error;
  }
}

async function importOne(station: BenchStation, source: string): Promise<{ itemId: string; sha256: string }> {
  const { importId } = await station.engine.call('import.start', { paths: [source] }, station.ctx);
  const record = await station.engine.waitForImport(importId);
  assertAllStored(record, 1);
  const { itemId, sha256 } = record.files[0] ?? {};
  if (!itemId || !sha256) throw new Error('the import stored the recording but named no item');
  return { itemId, sha256 };
}
