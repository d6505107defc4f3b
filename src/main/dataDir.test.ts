import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDataDir } from '../core/station/dataDir';
import { resolveDesktopDataDir } from './dataDir';

const argv = ['electron', '.'];
const home = { HOME: process.env.HOME, APPDATA: process.env.APPDATA, XDG_DATA_HOME: process.env.XDG_DATA_HOME };

describe('resolveDesktopDataDir', () => {
  it('defaults to the same place as the CLI and the web host', () => {
    expect(resolveDesktopDataDir(argv, home)).toEqual({ dataDir: resolveDataDir(undefined, home), isChosen: false });
  });

  it('follows XDG_DATA_HOME like the CLI does', () => {
    if (process.platform !== 'linux') return;
    expect(resolveDesktopDataDir(argv, { XDG_DATA_HOME: '/xdg' }).dataDir).toBe('/xdg/evidence-station');
  });

  it('takes STATION_DATA, resolved against the working folder', () => {
    expect(resolveDesktopDataDir(argv, { STATION_DATA: 'tmp/st' })).toEqual({
      dataDir: path.resolve('tmp/st'),
      isChosen: true,
    });
    expect(resolveDesktopDataDir(argv, { ...home, STATION_DATA: '' })).toEqual({
      dataDir: resolveDataDir(undefined, home),
      isChosen: false,
    });
  });

  it('prefers --data over STATION_DATA, in both spellings', () => {
    const env = { STATION_DATA: '/env' };
    expect(resolveDesktopDataDir([...argv, '--data', '/arg'], env).dataDir).toBe(path.resolve('/arg'));
    expect(resolveDesktopDataDir([...argv, '--data=/arg2'], env).dataDir).toBe(path.resolve('/arg2'));
    expect(resolveDesktopDataDir([...argv, '--data', 'rel'], {})).toEqual({
      dataDir: path.resolve('rel'),
      isChosen: true,
    });
  });

  it('ignores a --data with no value', () => {
    const fallback = { dataDir: resolveDataDir(undefined, home), isChosen: false };
    expect(resolveDesktopDataDir([...argv, '--data'], home)).toEqual(fallback);
    expect(resolveDesktopDataDir([...argv, '--data', '--port'], home)).toEqual(fallback);
    expect(resolveDesktopDataDir([...argv, '--data='], home)).toEqual(fallback);
  });
});
