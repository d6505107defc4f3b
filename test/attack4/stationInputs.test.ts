import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openStation, type TestStation } from '../engine/harness';

/**
 * Red team 2 (issue 9): hostile values through the sync doors of a station, as the admin types or
 * a script sends them: sync settings out of range, and server addresses that are not a plain
 * http(s) server (a file, credentials in the address, which would be kept in the custody log).
 */

let station: TestStation;

beforeAll(async () => {
  station = await openStation();
}, 60_000);

afterAll(async () => {
  await station?.cleanup();
});

describe('sync.settings with hostile values', () => {
  it.each([
    ['a negative bandwidth', { bandwidthBytesPerSec: -1 }],
    ['a zero bandwidth', { bandwidthBytesPerSec: 0 }],
    ['a fractional bandwidth', { bandwidthBytesPerSec: 2048.5 }],
    ['a huge bandwidth', { bandwidthBytesPerSec: 1e20 }],
    ['a window at 25:00', { window: { start: '25:00', end: '08:00' } }],
    ['a window at 23:60', { window: { start: '22:00', end: '23:60' } }],
    ['a window of one megabyte', { window: { start: '1'.repeat(1 << 20), end: '08:00' } }],
    ['a window with more fields', { window: { start: '22:00', end: '06:00', days: 'all' } }],
  ])('refuses %s and keeps the settings', async (_name, input) => {
    const before = (await station.call('sync.status', {})).settings;
    expect(await codeOf(station.call('sync.settings', input as never))).toBe('input.invalid');
    expect((await station.call('sync.status', {})).settings).toEqual(before);
  });
});

describe('sync.enrol with addresses that are not a plain server', () => {
  it.each([
    ['a file', 'file:///etc/passwd'],
    ['credentials in the address', 'http://operator:secret@127.0.0.1:9/'],
    ['a user name in the address', 'https://admin@central.example/'],
    ['javascript', 'javascript:alert(1)'],
    ['a host missing', 'http://'],
  ])('refuses %s before any request, and records nothing', async (_name, serverUrl) => {
    const before = (await station.call('custody.list', { limit: 1 })).total;
    expect(await codeOf(station.call('sync.enrol', { serverUrl, code: 'ES1-whatever' }))).toBe('input.invalid');
    expect((await station.call('custody.list', { limit: 1 })).total).toBe(before);
    expect((await station.call('sync.status', {})).enrolment).toBeNull();
  });
});
