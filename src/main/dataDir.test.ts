import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './dataDir';

const userData = '/home/u/.config/evidence-station';
const cwd = '/work';

describe('resolveDataDir', () => {
  it('defaults to a folder inside userData', () => {
    expect(resolveDataDir(['electron', '.'], {}, userData, cwd)).toBe(path.join(userData, 'station'));
  });

  it('takes STATION_DATA, resolved against the working folder', () => {
    expect(resolveDataDir(['electron', '.'], { STATION_DATA: 'tmp/st' }, userData, cwd)).toBe('/work/tmp/st');
    expect(resolveDataDir(['electron', '.'], { STATION_DATA: '' }, userData, cwd)).toBe(path.join(userData, 'station'));
  });

  it('prefers --data over STATION_DATA, in both spellings', () => {
    const env = { STATION_DATA: '/env' };
    expect(resolveDataDir(['electron', '.', '--data', '/arg'], env, userData, cwd)).toBe('/arg');
    expect(resolveDataDir(['electron', '.', '--data=/arg2'], env, userData, cwd)).toBe('/arg2');
  });

  it('ignores a --data with no value', () => {
    expect(resolveDataDir(['electron', '.', '--data'], {}, userData, cwd)).toBe(path.join(userData, 'station'));
    expect(resolveDataDir(['electron', '.', '--data', '--port'], {}, userData, cwd)).toBe(
      path.join(userData, 'station'),
    );
    expect(resolveDataDir(['electron', '.', '--data='], {}, userData, cwd)).toBe(path.join(userData, 'station'));
  });
});
