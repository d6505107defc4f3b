import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP proxy between the station and the server on loopback, for the fault tests: it counts
 * every byte the station sends, and drops the connection (both sides, at once) when that count
 * crosses each of the thresholds it is given, forwarding exactly the bytes before the threshold.
 * That is what a pulled cable does to a transfer, at a byte the test chooses. It can also flip one
 * byte on its way (a line that corrupts), which only the server's hash of the finished file sees.
 */
export class CuttingProxy {
  /** Bytes from the station forwarded to the server, over all connections. */
  forwardedUp = 0;
  cutsMade = 0;
  private thresholds: number[] = [];
  private corruptions: number[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;

  constructor(private target: { host: string; port: number }) {}

  /** Cut when the station's total bytes reach each of these (absolute counts, any order). */
  cutAt(thresholds: number[]): void {
    this.thresholds = [...thresholds].sort((a, b) => a - b);
  }

  /** Flip every bit of the station's byte at each of these (absolute) counts, once: a bad line. */
  corruptAt(offsets: number[]): void {
    this.corruptions = [...offsets].sort((a, b) => a - b);
  }

  /** `chunk`, the station's bytes from `forwardedUp` on, with any byte due for corruption flipped. */
  private corrupt(chunk: Buffer): Buffer {
    let out = chunk;
    while (this.corruptions.length > 0 && this.corruptions[0]! < this.forwardedUp + chunk.length) {
      const at = this.corruptions.shift()! - this.forwardedUp;
      if (at < 0) continue;
      if (out === chunk) out = Buffer.from(chunk);
      out[at] = out[at]! ^ 0xff;
    }
    return out;
  }

  async listen(): Promise<string> {
    const server = createServer((client) => this.connect(client));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy has no port');
    return `http://127.0.0.1:${address.port}`;
  }

  private connect(client: Socket): void {
    const upstream = createConnection(this.target);
    this.sockets.add(client);
    this.sockets.add(upstream);
    let dead = false;
    const drop = (): void => {
      dead = true;
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      const next = this.thresholds[0];
      if (next !== undefined && this.forwardedUp + chunk.length >= next) {
        const part = chunk.subarray(0, Math.max(0, next - this.forwardedUp));
        this.thresholds.shift();
        this.cutsMade += 1;
        this.forwardedUp += part.length;
        dead = true;
        // The bytes before the cut reach the server, then the line goes dead.
        if (part.length > 0) upstream.write(part, drop);
        else drop();
        return;
      }
      const sent = this.corrupt(chunk);
      this.forwardedUp += chunk.length;
      upstream.write(sent);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!dead) client.write(chunk);
    });
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
