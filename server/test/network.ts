import { networkInterfaces } from 'node:os';

/** A non-loopback IPv4 address of this machine, to reach a server as a remote peer; null if none. */
export function externalAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}
