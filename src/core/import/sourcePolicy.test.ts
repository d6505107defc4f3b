import { describe, expect, it } from 'vitest';
import { isWithin, systemTreeOf } from './sourcePolicy';

describe('systemTreeOf', () => {
  it('names the Linux system trees and leaves removable media under /run/media alone', () => {
    for (const path of ['/proc', '/proc/1/mem', '/sys/kernel', '/dev/sda', '/etc/shadow', '/boot', '/run/user/0']) {
      expect([path, systemTreeOf(path, 'linux')]).not.toEqual([path, null]);
    }
    for (const path of ['/run/media/wang/CAM', '/home/wang', '/media/CAM', '/etcetera', '/devices']) {
      expect([path, systemTreeOf(path, 'linux')]).toEqual([path, null]);
    }
  });

  it('names the macOS and Windows system folders, case-insensitively where the file system is', () => {
    expect(systemTreeOf('/System/Library/CoreServices', 'darwin')).toBe('/System');
    expect(systemTreeOf('/library/Keychains', 'darwin')).toBe('/Library');
    expect(systemTreeOf('/private/etc/master.passwd', 'darwin')).toBe('/private/etc');
    expect(systemTreeOf('/Users/wang/Movies', 'darwin')).toBeNull();
    expect(systemTreeOf('C:\\Windows\\System32\\config\\SAM', 'win32')).not.toBeNull();
    expect(systemTreeOf('c:\\windows', 'win32')).not.toBeNull();
    expect(systemTreeOf('C:\\Program Files (x86)\\App', 'win32')).not.toBeNull();
    expect(systemTreeOf('C:\\Program Files Extra', 'win32')).not.toBeNull();
    expect(systemTreeOf('C:\\Users\\wang\\Videos', 'win32')).toBeNull();
    expect(systemTreeOf('E:\\DCIM', 'win32')).toBeNull();
  });
});

describe('isWithin', () => {
  it('matches whole path segments only', () => {
    expect(isWithin('/data/station', '/data/station', 'linux')).toBe(true);
    expect(isWithin('/data/station/station.db', '/data/station', 'linux')).toBe(true);
    expect(isWithin('/data/station-2/x', '/data/station', 'linux')).toBe(false);
    expect(isWithin('/Data/Station/x', '/data/station', 'linux')).toBe(false);
    expect(isWithin('/Data/Station/x', '/data/station', 'darwin')).toBe(true);
    expect(isWithin('D:\\Station\\station.db', 'd:\\station', 'win32')).toBe(true);
  });
});
