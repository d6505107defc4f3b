import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback between the station and the server, for the upload figure's cut: it
 * reads the HTTP/1.1 requests going up just enough to tell their heads from their bodies, counts
 * the body bytes of PATCH requests (the file's bytes under tus) that it forwards to the server,
 * and can cut every connection (both sides, at once, like a pulled cable) when that count reaches
 * a chosen byte of the file. Request heads and the other requests (nonce, HEAD, have, commit) are
 * counted apart, so "sent again" is the file's bytes alone.
 */

const HEAD_END = Buffer.from('\r\n\r\n');
/** A request head longer than this is not what the station sends: the proxy stops counting. */
const MAX_HEAD_BYTES = 64 * 1024;

export interface ProxyCounts {
  /** Body bytes of PATCH requests forwarded to the server, over every connection. */
  patchBodyBytes: number;
  /** Every byte forwarded to the server (heads and every request's body included). */
  allBytes: number;
  /** PATCH requests whose head was forwarded. */
  patchRequests: number;
  cuts: number;
  /** A request the proxy could not count (a chunked body, a head past 64 KiB): its counts are not to be trusted. */
  failure: string | null;
}

export interface PatchCountingProxy {
  url: string;
  counts(): ProxyCounts;
  /** Cut every open connection once the PATCH body bytes forwarded reach `bodyByte` (absolute); once. */
  cutAtPatchByte(bodyByte: number): void;
  close(): Promise<void>;
}

/** Where one connection stands in its stream of requests. */
interface RequestState {
  head: Buffer;
  /** Body bytes of the current request still to come; null while its head is being read. */
  bodyLeft: number | null;
  isPatch: boolean;
}

/** The method and Content-Length of a request head (chunked bodies are not what tus-js-client sends). */
function parseHead(head: Buffer): { isPatch: boolean; length: number } {
  const text = head.toString('latin1');
  const method = text.slice(0, text.indexOf(' '));
  if (/^transfer-encoding:\s*chunked/im.test(text))
    throw new Error('a chunked request body: the proxy cannot count it');
  const length = Number(/^content-length:\s*(\d+)/im.exec(text)?.[1] ?? 0);
  return { isPatch: method === 'PATCH', length };
}

export async function startPatchCountingProxy(target: string): Promise<PatchCountingProxy> {
  const { hostname, port } = new URL(target);
  const counts: ProxyCounts = { patchBodyBytes: 0, allBytes: 0, patchRequests: 0, cuts: 0, failure: null };
  let cutAt: number | null = null;
  const pairs = new Set<{ client: Socket; upstream: Socket; dead: boolean }>();

  const cutAll = (): void => {
    counts.cuts += 1;
    for (const p of pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
  };

  /**
   * How many bytes of `chunk` go up before the cut (all of them when no cut falls inside), counting
   * them by request part as it goes.
   */
  const account = (state: RequestState, chunk: Buffer): { forward: number; cut: boolean } => {
    let at = 0;
    while (at < chunk.length) {
      if (state.bodyLeft === null) {
        const joined = state.head.length > 0 ? Buffer.concat([state.head, chunk.subarray(at)]) : chunk.subarray(at);
        const end = joined.indexOf(HEAD_END);
        if (end < 0) {
          if (joined.length > MAX_HEAD_BYTES) throw new Error('a request head past 64 KiB');
          state.head = Buffer.from(joined);
          at = chunk.length;
          break;
        }
        const headBytes = end + HEAD_END.length;
        const { isPatch, length } = parseHead(joined.subarray(0, headBytes));
        at += headBytes - state.head.length;
        state.head = Buffer.alloc(0);
        state.bodyLeft = length;
        state.isPatch = isPatch;
        if (isPatch) counts.patchRequests += 1;
      }
      if (state.bodyLeft === null) continue;
      const take = Math.min(state.bodyLeft, chunk.length - at);
      if (state.isPatch && cutAt !== null && counts.patchBodyBytes + take >= cutAt) {
        const keep = cutAt - counts.patchBodyBytes;
        counts.patchBodyBytes += keep;
        cutAt = null;
        return { forward: at + keep, cut: true };
      }
      if (state.isPatch) counts.patchBodyBytes += take;
      state.bodyLeft -= take;
      at += take;
      if (state.bodyLeft === 0) state.bodyLeft = null;
    }
    return { forward: chunk.length, cut: false };
  };

  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    const pair = { client, upstream, dead: false };
    pairs.add(pair);
    const state: RequestState = { head: Buffer.alloc(0), bodyLeft: null, isPatch: false };
    client.on('data', (chunk: Buffer) => {
      if (pair.dead) return;
      let counted: { forward: number; cut: boolean };
      try {
        counted = account(state, chunk);
      } catch (error) {
        counts.failure ??= (error as Error).message;
        pair.dead = true;
        client.destroy();
        upstream.destroy();
        return;
      }
      const { forward, cut } = counted;
      counts.allBytes += forward;
      if (cut) {
        // Nothing more goes up on any connection from here, while the last bytes are flushed.
        for (const p of pairs) p.dead = true;
        // The bytes before the cut reach the server, then the line goes dead both ways.
        if (forward > 0) upstream.write(chunk.subarray(0, forward), cutAll);
        else cutAll();
        return;
      }
      if (!upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (pair.dead) return;
      if (!client.write(chunk)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
    const end = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ ...counts }),
    cutAtPatchByte(bodyByte) {
      cutAt = bodyByte;
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy();
        p.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
