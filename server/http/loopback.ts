import { isIP } from 'node:net';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped form: the machine the server runs on. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) return v4.split('.')[0] === '127';
  return address === '::1';
}
