import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function mimeTypeOf(filePath: string): string {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

/**
 * Maps a URL path to a file under `root`, or null when it would leave `root` (`..`, encoded
 * slashes, NUL bytes). Pure: it checks the names only; `serveStatic` also checks symlinks.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const absoluteRoot = resolve(root);
  const candidate = resolve(absoluteRoot, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  return isInside(absoluteRoot, candidate) ? candidate : null;
}

async function findFile(root: string, filePath: string): Promise<string | null> {
  try {
    const real = await realpath(filePath);
    const realRoot = await realpath(root);
    if (!isInside(realRoot, real)) return null;
    return (await stat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built renderer. Paths without a file extension fall back to index.html so the
 * single-page app can own its routes; a missing asset (with an extension) is a plain 404.
 */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('Allow', 'GET, HEAD');
    res.end();
    return;
  }
  const requested = resolveStaticPath(root, urlPath);
  // Source maps would hand out the renderer's source; the build makes none, and a stray one
  // (a dev build copied over) is not served either.
  if (requested === null || extname(requested).toLowerCase() === '.map') {
    sendText(res, 404, 'Not found');
    return;
  }
  let file = await findFile(root, requested);
  if (file === null && extname(requested) === '') file = await findFile(root, resolve(root, 'index.html'));
  if (file === null && urlPath === '/favicon.ico') {
    // Browsers ask for it on their own; "no icon" should not show up as a console error.
    res.statusCode = 204;
    res.end();
    return;
  }
  if (file === null) {
    const isIndex = extname(requested) === '' || requested.endsWith('index.html');
    sendText(res, 404, isIndex ? 'The web interface is not built: run `npm run build:web`.' : 'Not found');
    return;
  }

  const { size } = await stat(file);
  res.statusCode = 200;
  res.setHeader('Content-Type', mimeTypeOf(file));
  res.setHeader('Content-Length', size);
  // Vite names assets by content hash, so they never change; index.html must always be fresh.
  res.setHeader(
    'Cache-Control',
    file.includes(`${sep}assets${sep}`) ? 'private, max-age=31536000, immutable' : 'no-cache',
  );
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
