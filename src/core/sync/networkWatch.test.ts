import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { NetworkWatch, networkFingerprint } from './networkWatch';

/**
 * A network change is a change in the non-internal addresses: a cable plugged in or a Wi-Fi joined
 * calls the listener once; the loopback coming and going, or nothing changing, does not.
 */
const iface = (address: string, internal = false): NetworkInterfaceInfo =>
  ({
    address,
    internal,
    family: 'IPv4',
    netmask: '255.255.255.0',
    mac: '00:00:00:00:00:00',
    cidr: null,
  }) as NetworkInterfaceInfo;

describe('network changes', () => {
  it('fingerprints the external addresses only, in a stable order', () => {
    const a = networkFingerprint(() => ({ lo: [iface('127.0.0.1', true)], eth0: [iface('10.0.0.2')] }));
    const b = networkFingerprint(() => ({ eth0: [iface('10.0.0.2')], lo: [iface('127.0.0.2', true)] }));
    expect(a).toBe(b);
    expect(a).toBe('eth0 IPv4 10.0.0.2');
    expect(networkFingerprint(() => ({ lo: [iface('127.0.0.1', true)] }))).toBe('');
  });

  it('calls the listener once per change', () => {
    let current = '';
    let calls = 0;
    const watch = new NetworkWatch(
      1_000,
      () => (calls += 1),
      () => current,
    );
    expect(watch.poll()).toBe(false);
    current = 'eth0 IPv4 10.0.0.2';
    expect(watch.poll()).toBe(true);
    expect(watch.poll()).toBe(false);
    current = '';
    expect(watch.poll()).toBe(true);
    expect(calls).toBe(2);
  });
});
