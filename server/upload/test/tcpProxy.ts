import { createServer, createConnection, type AddressInfo, type Socket } from 'node:net';

/**
 * A small TCP proxy on loopback in front of a server: the network between a station and the
 * server, which a test can cut after a number of bytes or make flip one byte. It counts every byte
 * the client sent through it, so a test can say how much was sent again after a cut.
 */
export interface TcpProxy {
  url: string;
  /** Bytes from clients to the server, over every connection so far. */
  forwarded(): number;
  /** Cuts every open connection (both sides) once `bytes` more have gone through; once. */
  cutAfter(bytes: number): Promise<void>;
  /** Flips one bit of the first client byte past `bytes` more, on a connection already past `inBodyAfter` bytes. */
  corruptAfter(bytes: number, inBodyAfter?: number): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port } = new URL(target);
  let total = 0;
  let cutAt: number | null = null;
  let onCut: (() => void) | null = null;
  let corruptAt: { at: number; inBodyAfter: number } | null = null;
  const pairs = new Set<{ client: Socket; upstream: Socket }>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: hostname, port: Number(port) });
    const pair = { client, upstream };
    pairs.add(pair);
    let mine = 0;
    client.on('data', (chunk: Buffer) => {
      let data = chunk;
      if (cutAt !== null && total + data.length >= cutAt) {
        const keep = Math.max(0, cutAt - total);
        total += keep;
        upstream.write(data.subarray(0, keep));
        cutAt = null;
        // Both sides at once, like a pulled cable: nothing more gets through either way.
        for (const p of pairs) {
          p.client.destroy();
          p.upstream.destroy();
        }
        onCut?.();
        onCut = null;
        return;
      }
      if (corruptAt && total + data.length > corruptAt.at && mine > corruptAt.inBodyAfter) {
        const at = Math.max(0, corruptAt.at - total);
        data = Buffer.from(data);
        data[at] = data[at]! ^ 0x01;
        corruptAt = null;
      }
      total += data.length;
      mine += data.length;
      if (!upstream.write(data)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    upstream.on('data', (chunk: Buffer) => {
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
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    forwarded: () => total,
    cutAfter(bytes) {
      cutAt = total + bytes;
      return new Promise<void>((resolve) => (onCut = resolve));
    },
    corruptAfter(bytes, inBodyAfter = 64 * 1024) {
      corruptAt = { at: total + bytes, inBodyAfter };
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
