import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';

/**
 * The seek figure's baseline: the simplest honest static file server. It maps a few fixed URL
 * paths to files and answers single byte ranges with 206; no auth, no database, no extra headers.
 * Its own range parsing (not the station's), so the baseline shares no code with what it judges.
 */

export interface StaticFile {
  path: string;
  contentType: string;
}

export interface StaticFileServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` → inclusive [start, end]; null for no range; 'bad' for 416. */
function parseRange(header: string | undefined, size: number): [number, number] | null | 'bad' {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'bad' : [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'bad';
  return end < start ? null : [start, end];
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: StaticFile): Promise<void> {
  const { size } = await stat(file.path);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Accept-Ranges', 'bytes');
  const range = parseRange(req.headers.range, size);
  if (range === 'bad') {
    res.writeHead(416, { 'Content-Range': `bytes */${size}` }).end();
    return;
  }
  const [start, end] = range ?? [0, size - 1];
  if (range) res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  res.writeHead(range ? 206 : 200, { 'Content-Length': end - start + 1 });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A seeking player drops requests mid-stream; a closed response is normal here.
  await pipeline(createReadStream(file.path, { start, end }), res).catch(() => res.destroy());
}

export async function startStaticFileServer(files: Readonly<Record<string, StaticFile>>): Promise<StaticFileServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const file = files[path];
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    serveFile(req, res, file).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
