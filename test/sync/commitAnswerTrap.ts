import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between a station and the server for the red team's commit tests: it forwards both
 * ways and, once armed, traps the first byte of a commit's answer (the server has committed its
 * receipt by then): it calls `onTrap` (a SIGKILL of the server, say) and drops the connection, so
 * the station never hears the answer. Connections are kept alive: each new request on one says
 * whether it is a commit.
 */
export class CommitAnswerTrap {
  armed = false;
  trapped = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly target: { host: string; port: number },
    private readonly onTrap: () => void = () => undefined,
  ) {}

  async listen(): Promise<string> {
    this.server = createServer((client) => this.connect(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return `http://127.0.0.1:${address.port}`;
  }

  private connect(client: Socket): void {
    const upstream = createConnection(this.target);
    this.sockets.add(client).add(upstream);
    let commitSent = false;
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      // A new request on this (kept-alive) connection: is it a commit?
      const head = chunk.subarray(0, 64).toString('latin1');
      if (/^[A-Z]+ \/\S* HTTP\/1\.1\r\n/.test(head)) commitSent = head.startsWith('POST /api/v1/commit ');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.armed && commitSent) {
        this.armed = false;
        this.trapped++;
        this.onTrap();
        drop();
        return;
      }
      client.write(chunk);
    });
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
