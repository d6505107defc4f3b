import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mdpmSeiNal } from '../../../../test/fixtures/cameraMetadata';
import { parseHexDump, parseMdpmFromAnnexB } from './avchdMdpm';

/**
 * The MDPM decoder on hand-built SEI units: time with zone, make, the daylight-saving case, and
 * that no truncation, bit flip or random stream makes it throw (exiftool's agreement on a whole
 * AVCHD file is in cameraFiles.test.ts).
 */

const AUD = Buffer.from([0, 0, 0, 1, 0x09, 0xf0]);
const SLICE = Buffer.from([0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00, 0x00, 0x03, 0x01]);
const stream = (sei: Buffer) => Buffer.concat([AUD, sei, SLICE]);
const CANON = 0x1011;

describe('parseMdpmFromAnnexB', () => {
  it('reads the recording time with its zone and the make', () => {
    const sei = mdpmSeiNal({ local: '2026-03-01T09:30:15', offsetMinutes: 480, makeCode: CANON });
    expect(parseMdpmFromAnnexB(stream(sei))).toEqual({
      local: { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 15 },
      offsetMinutes: 480,
      make: 'Canon',
    });
  });

  it('reads zones west of UTC and half hours, and leaves the zone unknown when daylight saving is flagged', () => {
    const west = mdpmSeiNal({ local: '2025-12-31T23:59:59', offsetMinutes: -(3 * 60 + 30), makeCode: 0x0108 });
    expect(parseMdpmFromAnnexB(stream(west))).toMatchObject({ offsetMinutes: -210, make: 'Sony' });
    const sony = mdpmSeiNal({ local: '2025-12-31T23:59:59', offsetMinutes: 0, makeCode: 0x0108, model: 'HDR-CX405' });
    expect(parseMdpmFromAnnexB(stream(sony))).toMatchObject({ offsetMinutes: 0, make: 'Sony', model: 'HDR-CX405' });
    const dst = mdpmSeiNal({ local: '2026-07-01T10:00:00', offsetMinutes: 60, dst: true, makeCode: 0x0103 });
    const facts = parseMdpmFromAnnexB(stream(dst));
    expect(facts).toMatchObject({ local: { y: 2026, m: 7, d: 1, h: 10 }, make: 'Panasonic' });
    expect(facts).not.toHaveProperty('offsetMinutes');
  });

  it('finds nothing in a stream without MDPM, and skips an impossible date', () => {
    expect(parseMdpmFromAnnexB(Buffer.concat([AUD, SLICE]))).toBeNull();
    const badDate = mdpmSeiNal({ local: '2026-02-30T09:30:15', offsetMinutes: 0, makeCode: 0x7777 });
    expect(parseMdpmFromAnnexB(stream(badDate))).toBeNull();
  });

  it('never throws on truncated, flipped or random input', () => {
    const whole = stream(mdpmSeiNal({ local: '2026-03-01T09:30:15', offsetMinutes: 480, makeCode: CANON }));
    for (let cut = 0; cut <= whole.length; cut++)
      expect(() => parseMdpmFromAnnexB(whole.subarray(0, cut))).not.toThrow();
    for (let i = 0; i < 3000; i++) {
      const mutated = Buffer.from(whole);
      const at = i % mutated.length;
      mutated[at] = (mutated[at] ?? 0) ^ (1 << (i % 8));
      expect(() => parseMdpmFromAnnexB(mutated)).not.toThrow();
      expect(() =>
        parseMdpmFromAnnexB(Buffer.concat([AUD, Buffer.from([0, 0, 1, 6]), randomBytes(i % 200)])),
      ).not.toThrow();
    }
  });
});

describe('parseHexDump', () => {
  it("reads ffprobe's -show_data dump, including a short last line and an ASCII column that looks like hex", () => {
    const dump =
      '\n00000000: 0000 0001 09f0 0000 0001 6742 c00d da05  ..........gB....\n' +
      '00000010: 6162 6364                                abcd\n';
    expect(parseHexDump(dump)).toEqual(
      Buffer.from([0, 0, 0, 1, 9, 0xf0, 0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x0d, 0xda, 0x05, 0x61, 0x62, 0x63, 0x64]),
    );
  });

  it('refuses other shapes: wrong offsets, no hex, nothing', () => {
    expect(parseHexDump('00000010: 0000  ..')).toBeNull();
    expect(parseHexDump('hello')).toBeNull();
    expect(parseHexDump('')).toBeNull();
  });
});
