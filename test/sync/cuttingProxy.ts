import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP proxy between the station and the server on loopback, for the fault tests: it counts
 * every byte the station sends, and drops the connection (both sides, at once) when that count
 * crosses each of the thresholds it is given, forwarding exactly the bytes before the threshold.
 * That is what a pulled cable does to a transfer, at a byte the test chooses.
 */
export class CuttingProxy {
  /** Bytes from the station forwarded to the server, over all connections. */
  forwardedUp = 0;
  cutsMade = 0;
  private thresholds: number[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;

  constructor(private target: { host: string; port: number }) {}

  /** Cut when the station's total bytes reach each of these (absolute counts, any order). */
  cutAt(thresholds: number[]): void {
    this.thresholds = [...thresholds].sort((a, b) => a - b);
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
      this.forwardedUp += chunk.length;
      upstream.write(chunk);
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
