import { networkInterfaces } from 'node:os';

/**
 * Notices a network change cheaply: the set of non-internal addresses, read every few seconds
 * (`os.networkInterfaces()` is a local call, no traffic). A cable plugged in or a Wi-Fi joined
 * changes it, and sync tries at once instead of waiting out a backoff the outage caused.
 */
export function networkFingerprint(read: typeof networkInterfaces = networkInterfaces): string {
  const addresses: string[] = [];
  for (const [name, list] of Object.entries(read())) {
    for (const a of list ?? []) if (!a.internal) addresses.push(`${name} ${a.family} ${a.address}`);
  }
  return addresses.sort().join('\n');
}

export class NetworkWatch {
  private timer: NodeJS.Timeout | null = null;
  private last: string;

  constructor(
    private readonly intervalMs: number,
    private readonly onChange: () => void,
    private readonly read: () => string = () => networkFingerprint(),
  ) {
    this.last = read();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), this.intervalMs);
    // Never keeps a CLI process alive on its own.
    this.timer.unref();
  }

  /** One look; true when the addresses changed since the last. */
  poll(): boolean {
    const now = this.read();
    if (now === this.last) return false;
    this.last = now;
    this.onChange();
    return true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
