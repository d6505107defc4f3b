import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { box, goProUdta, gpmfNested, gpmfString } from '../../../../test/fixtures/cameraMetadata';
import { makeTempDir, removeTree } from '../../../../test/engine/harness';
import { parseGoProUdta, readGoProIdentity } from './goProBoxes';

/**
 * The GoPro `udta` reader on hand-built boxes: what it reads, what it leaves alone, and that no
 * truncation, bit flip or random box ever makes it throw (exiftool's agreement on a whole file is
 * in cameraFiles.test.ts).
 */

const IDENTITY = { firmware: 'HD9.01.01.60.00', serial: 'C3441324567890', model: 'HERO9 Black' };
const udta = Buffer.concat(goProUdta(IDENTITY));

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('gopro');
});
afterAll(async () => {
  await removeTree(dir);
});

describe('parseGoProUdta', () => {
  it('reads model, serial and firmware from GPMF', () => {
    expect(parseGoProUdta(udta)).toEqual(IDENTITY);
  });

  it('takes the firmware from FIRM when GPMF has none (HERO4, HERO5)', () => {
    expect(parseGoProUdta(box('FIRM', Buffer.from('HD4.02.05.00.00\0')))).toEqual({ firmware: 'HD4.02.05.00.00' });
  });

  it('reads keys in nested GPMF and ignores other keys, binary values and over-long text', () => {
    const gpmf = box(
      'GPMF',
      gpmfNested('DEVC', [
        gpmfString('DVNM', 'Camera'),
        gpmfNested('STRM', [gpmfString('MINF', 'HERO6 Black')]),
        gpmfString('CASN', 'x'.repeat(200)),
        gpmfString('FMWR', 'HD6\x01\x02'),
      ]),
    );
    expect(parseGoProUdta(gpmf)).toEqual({ model: 'HERO6 Black' });
  });

  it('never throws on truncated, flipped or random input', () => {
    for (let cut = 0; cut <= udta.length; cut++) expect(() => parseGoProUdta(udta.subarray(0, cut))).not.toThrow();
    for (let i = 0; i < 2000; i++) {
      const mutated = Buffer.from(udta);
      const at = i % mutated.length;
      mutated[at] = (mutated[at] ?? 0) ^ (1 << (i % 8));
      expect(() => parseGoProUdta(mutated)).not.toThrow();
      expect(() => parseGoProUdta(randomBytes(i % 300))).not.toThrow();
    }
    // A GPMF whose lengths claim more than is there, and one nested deeper than the bound.
    const liar = Buffer.from(gpmfString('MINF', 'HERO'));
    liar.writeUInt16BE(0xffff, 6);
    expect(parseGoProUdta(box('GPMF', liar))).toEqual({});
    let deep = gpmfString('MINF', 'deep');
    for (let i = 0; i < 10; i++) deep = gpmfNested('DEVC', [deep]);
    expect(parseGoProUdta(box('GPMF', deep))).toEqual({});
  });
});

describe('readGoProIdentity', () => {
  const write = async (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    return file;
  };

  it('finds udta inside moov, after other boxes, with a 64-bit size box before it', async () => {
    const big = Buffer.alloc(16 + 8);
    big.writeUInt32BE(1, 0);
    big.write('free', 4, 'latin1');
    big.writeBigUInt64BE(BigInt(big.length), 8);
    const file = await write(
      'camera.mp4',
      Buffer.concat([
        box('ftyp', Buffer.from('isom')),
        big,
        box('moov', Buffer.concat([box('mvhd', Buffer.alloc(100)), box('udta', udta)])),
      ]),
    );
    expect(await readGoProIdentity(file)).toEqual(IDENTITY);
  });

  it('reads the camera udta when another tool left its own udta before it', async () => {
    const ffmpegUdta = box('udta', box('\xa9swr', Buffer.from('Lavf59.27.100', 'latin1')));
    const file = await write(
      'rewritten.mp4',
      box('moov', Buffer.concat([box('mvhd', Buffer.alloc(100)), ffmpegUdta, box('udta', udta)])),
    );
    expect(await readGoProIdentity(file)).toEqual(IDENTITY);
  });

  it('answers nothing for a missing file, a file without moov and boxes whose sizes lie', async () => {
    expect(await readGoProIdentity(path.join(dir, 'missing.mp4'))).toEqual({});
    expect(await readGoProIdentity(await write('nomoov.mp4', box('ftyp', Buffer.from('isom'))))).toEqual({});
    const lying = box('moov', box('udta', udta));
    lying.writeUInt32BE(lying.length + 1000, 0);
    expect(await readGoProIdentity(await write('lying.mp4', lying))).toEqual({});
    const tiny = box('moov', box('udta', udta));
    tiny.writeUInt32BE(4, 8);
    expect(await readGoProIdentity(await write('tiny.mp4', tiny))).toEqual({});
  });
});
