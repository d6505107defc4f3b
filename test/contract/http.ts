import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/**
 * A bare HTTP client for contract tests. `fetch` refuses to set Host and normalises paths, and
 * these tests need to send exactly what an attacker or a media player would.
 */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function sendRaw(port: number, path: string, init: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers ?? {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body.toString('utf8')) as unknown,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Reads Server-Sent Events frames (`data: {...}`) from `/api/events` until `until` says stop. */
export function collectEvents(
  port: number,
  token: string,
  sessionId: string,
  until: (frame: { event: string; payload: unknown }) => boolean,
): { opened: Promise<void>; done: Promise<Array<{ event: string; payload: unknown }>>; abort(): void } {
  const frames: Array<{ event: string; payload: unknown }> = [];
  let abort = (): void => {};
  let markOpened = (): void => {};
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  const done = new Promise<typeof frames>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: `/api/events?s=${encodeURIComponent(sessionId)}`,
        headers: { Authorization: `Bearer ${token}` },
      },
      (res) => {
        markOpened();
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice('data: '.length))
              .join('\n');
            if (data === '') continue;
            const frame = JSON.parse(data) as { event: string; payload: unknown };
            frames.push(frame);
            if (until(frame)) {
              req.destroy();
              resolve(frames);
              return;
            }
          }
        });
        res.on('end', () => resolve(frames));
      },
    );
    req.on('error', (error) => (req.destroyed ? resolve(frames) : reject(error)));
    req.end();
    abort = () => {
      req.destroy();
      resolve(frames);
    };
  });
  return { opened, done, abort: () => abort() };
}
