import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, decodeManifestPath, encodeManifestPath, payloadNames, safeFileName } from './payloadNames';

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** What Windows, macOS, Linux and `sha256sum -c` each refuse or mangle in a file name. */
function assertSafe(name: string): void {
  expect(name).toBe(name.normalize('NFC'));
  // eslint-disable-next-line no-control-regex
  expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f<>:"/\\|?*%]/u);
  expect(name).not.toMatch(/^[\s.]|[\s.]$/u);
  expect(name.split('.')[0]!.trim()).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)$/i);
  expect(bytes(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
  expect(name.length).toBeGreaterThan(0);
}

describe('payload names', () => {
  const hostile = [
    '执法记录仪 2026-03-14.MP4',
    '🚓📹 evidence.mov',
    '..',
    '.',
    '../../etc/passwd',
    'a\nb.mp4',
    'a\rb%0A.mp4',
    'x'.repeat(300) + '.mp4',
    '录'.repeat(300) + '.mp4',
    '🎥'.repeat(100) + '.jpg',
    'CON.mp4',
    'con',
    'nul.tar.gz',
    'COM1 .jpg',
    'lpt9.txt',
    'aux.',
    ' spaced name .mp4 ',
    'trailing dots...',
    'a<b>c:d"e|f?g*h.mp4',
    'back\\slash.mp4',
    '100%.mp4',
    'e\u0301cole.mp4',
    'bidi\u202Egpj.exe',
    '',
    '.hidden',
    'name.' + 'e'.repeat(40),
  ];

  it('makes every hostile name safe, keeping the extension when there is one', () => {
    for (const n of hostile) assertSafe(safeFileName(n));
    expect(safeFileName('x'.repeat(300) + '.mp4')).toMatch(/^x+\.mp4$/);
    expect(bytes(safeFileName('录'.repeat(300) + '.mp4'))).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(safeFileName('录'.repeat(300) + '.mp4').endsWith('.mp4')).toBe(true);
    // Never a split surrogate pair.
    expect(safeFileName('🎥'.repeat(100) + '.jpg')).toMatch(/^(🎥)+\.jpg$/u);
    expect(safeFileName('CON.mp4')).toBe('_CON.mp4');
    expect(safeFileName('nul.tar.gz')).toBe('_nul.tar.gz');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('../../etc/passwd')).toBe('_._etc_passwd');
    expect(safeFileName('a\nb.mp4')).toBe('a_b.mp4');
    expect(safeFileName('e\u0301cole.mp4')).toBe('\u00e9cole.mp4');
    expect(safeFileName('执法记录仪 2026-03-14.MP4')).toBe('执法记录仪 2026-03-14.MP4');
  });

  it('gives distinct names to names that differ only by case or not at all, within the length bound', () => {
    const names = payloadNames(['FILE.MP4', 'file.mp4', 'File.Mp4', 'FILE.MP4', ...hostile]);
    const folded = new Set(names.map((n) => n.toLowerCase()));
    expect(folded.size).toBe(names.length);
    for (const n of names) assertSafe(n);
    expect(names[0]).toBe('0001_FILE.MP4');
    expect(names[1]).toBe('0002_file.mp4');
  });

  it('widens the ordinal past 9999 names', () => {
    const names = payloadNames(Array.from({ length: 10_000 }, () => 'a.mp4'));
    expect(names[0]).toBe('00001_a.mp4');
    expect(names[9_999]).toBe('10000_a.mp4');
  });

  it('percent-encodes CR, LF and % in manifest paths and reads them back', () => {
    const odd = 'data/a%b\r\nc%0A.mp4';
    const encoded = encodeManifestPath(odd);
    expect(encoded).toBe('data/a%25b%0D%0Ac%250A.mp4');
    expect(decodeManifestPath(encoded)).toBe(odd);
  });
});
