import { createHash } from 'node:crypto';
import type { CustodyEntry } from '../../src/shared/schemas';
import type { CaseJson, PackageItem, PackageTag } from '../../src/shared/sealSchemas';
import { hashCustodyEntry } from '../../src/core/custody/custodyLog';

/**
 * A sealed case as the seal step writes it into `data/case.json`, with the custody entries of
 * `data/custody.jsonl`, made up but shaped like the real thing: a street-vending case with
 * body-worn camera video, photos (one with a corrected time, one with an assumed offset), a clip
 * and a still cut from the first video, violation tags, GPS, and a custody chain whose every entry
 * recomputes with `hashCustodyEntry`. Deterministic: the same options give the same case.
 */

export interface SampleCaseOptions {
  /** Extra imported originals after the six fixed items (a large case for pagination). */
  extraItems?: number;
  /** Custody entries in all (at least the ones the items need; filler `item.view` entries after). */
  custodyEntries?: number;
  /** The key fingerprint the case was sealed with. */
  keyFingerprint?: string;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export const SAMPLE_FINGERPRINT = sha('sample station public key');
export const SAMPLE_CASE_ID = 'case-3f1c9a';
const STATION_ID = 'st-7d2e41b0';

const at = (day: number, h: number, m: number, s = 0): string =>
  `2026-03-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.000+08:00`;

function tag(
  id: string,
  code: string,
  zh: string,
  en: string,
  fromSec: number | null,
  toSec: number | null,
  note: string,
  when: string,
): PackageTag {
  return {
    id,
    code,
    label: { zh, en },
    taxonomyVersion: 2,
    fromSec,
    toSec,
    note,
    createdBy: 'reviewer1',
    createdAt: when,
    updatedBy: 'reviewer1',
    updatedAt: when,
  };
}

function item(
  fields: Partial<PackageItem> & Pick<PackageItem, 'id' | 'originalName' | 'bagPath' | 'media'>,
): PackageItem {
  return {
    origin: 'original',
    sha256: sha(fields.id),
    size: 1_000,
    recordedAt: null,
    recordedAtSource: null,
    timeProvenance: {},
    deviceId: null,
    officerId: null,
    gps: null,
    importedAt: at(14, 16, 2),
    importedBy: 'reviewer1',
    derivation: null,
    tags: [],
    addedToCaseBy: 'reviewer1',
    addedToCaseAt: at(15, 9, 30),
    ...fields,
  };
}

function fixedItems(): PackageItem[] {
  const video = item({
    id: 'item-0001',
    originalName: '执法记录仪_20260314_102030_DSJ-A8-0001.MP4',
    bagPath: 'data/originals/0001_执法记录仪_20260314_102030_DSJ-A8-0001.MP4',
    size: 734_003_200,
    media: {
      kind: 'video',
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSec: 312.48,
      width: 1920,
      height: 1080,
      frameRate: 25,
      videoCodec: 'h264',
      audioCodec: 'aac',
      offsetKnown: true,
    },
    recordedAt: at(14, 10, 20, 30),
    recordedAtSource: 'container',
    timeProvenance: { originalRecordedAt: at(14, 10, 20, 30), originalSource: 'container', corrections: [] },
    deviceId: 'DSJ-A8-0001',
    officerId: '010037',
    gps: { lat: 31.230416, lon: 121.473701 },
    tags: [
      tag(
        'tag-01',
        'street_vending',
        '占道经营',
        'Street vending',
        12.4,
        58.92,
        '商户在人行道摆摊，约 3 平方米。',
        at(15, 10, 2),
      ),
      tag('tag-02', 'obstruction', '妨碍通行', 'Obstructing passage', 61, 95.5, '', at(15, 10, 6)),
    ],
  });
  const photo = item({
    id: 'item-0002',
    originalName: '现场照片_占道经营_01.jpg',
    bagPath: 'data/originals/0002_现场照片_占道经营_01.jpg',
    size: 4_718_592,
    media: { kind: 'photo', width: 4032, height: 3024, make: 'Huawei', model: 'P60', offsetKnown: true },
    recordedAt: at(14, 10, 24, 5),
    recordedAtSource: 'exif',
    timeProvenance: { originalRecordedAt: at(14, 10, 24, 5), originalSource: 'exif', corrections: [] },
    deviceId: 'P60-7781',
    officerId: '010037',
    gps: { lat: 31.230512, lon: 121.473644, alt: 12.5 },
    tags: [tag('tag-03', 'street_vending', '占道经营', 'Street vending', null, null, '摊位全貌', at(15, 10, 9))],
  });
  const corrected = item({
    id: 'item-0003',
    originalName: '商户门前_整改前.jpg',
    bagPath: 'data/originals/0003_商户门前_整改前.jpg',
    size: 3_145_728,
    media: { kind: 'photo', width: 4000, height: 3000, offsetKnown: true },
    recordedAt: at(14, 10, 31),
    recordedAtSource: 'correction',
    timeProvenance: {
      originalRecordedAt: '2026-01-01T00:00:00.000+08:00',
      originalSource: 'exif',
      corrections: [
        {
          recordedAt: at(14, 10, 31),
          previous: '2026-01-01T00:00:00.000+08:00',
          reason: '相机时钟未设置，依据执法记录仪画面中的时间更正。',
          by: 'reviewer1',
          at: at(15, 9, 12),
        },
      ],
    },
    deviceId: 'CAM-02',
    officerId: '010114',
  });
  const assumed = item({
    id: 'item-0004',
    originalName: 'FILE0004.MP4',
    bagPath: 'data/originals/0004_FILE0004.MP4',
    size: 52_428_800,
    media: {
      kind: 'video',
      durationSec: 41.2,
      width: 1280,
      height: 720,
      frameRate: 30,
      videoCodec: 'hevc',
      offsetKnown: false,
    },
    recordedAt: '2026-03-14T10:40:00.000+08:00',
    recordedAtSource: 'filename',
    timeProvenance: {
      originalRecordedAt: '2026-03-14T10:40:00.000+08:00',
      originalSource: 'filename',
      corrections: [],
    },
    deviceId: 'DSJ-V7-0012',
    officerId: '010114',
  });
  const clipItem = item({
    id: 'item-0005',
    origin: 'clip',
    originalName: '执法记录仪_20260314_102030_DSJ-A8-0001_0m12s-0m59s.MP4',
    bagPath: 'data/clips/0005_执法记录仪_20260314_102030_DSJ-A8-0001_0m12s-0m59s.MP4',
    size: 98_566_144,
    media: {
      kind: 'video',
      durationSec: 46.6,
      width: 1920,
      height: 1080,
      frameRate: 25,
      videoCodec: 'h264',
      offsetKnown: true,
    },
    recordedAt: at(14, 10, 20, 42),
    recordedAtSource: 'derived',
    deviceId: 'DSJ-A8-0001',
    officerId: '010037',
    gps: { lat: 31.230416, lon: 121.473701 },
    importedAt: at(15, 10, 15),
    derivation: {
      sourceSha256: video.sha256,
      mode: 'lossless',
      fromSec: 12.4,
      toSec: 58.92,
      provenance: {
        source: { itemId: video.id, sha256: video.sha256, originalName: video.originalName },
        mode: 'lossless',
        requested: { fromSec: 12.4, toSec: 58.92 },
        measured: { fromSec: 12, toSec: 58.6, frameCount: 1165 },
        tool: 'ffmpeg',
        toolVersion: '7.1.1-1+b1',
        args: ['-ss', '12', '-i', 'SOURCE', '-t', '46.6', '-c', 'copy', 'OUT.MP4'],
      },
    },
    tags: [
      tag('tag-04', 'street_vending', '占道经营', 'Street vending', 0.4, 46.5, '剪辑：摆摊全过程', at(15, 10, 20)),
    ],
  });
  const stillItem = item({
    id: 'item-0006',
    origin: 'still',
    originalName: '执法记录仪_20260314_102030_DSJ-A8-0001_0m30.040s.png',
    bagPath: 'data/stills/0006_执法记录仪_20260314_102030_DSJ-A8-0001_0m30.040s.png',
    size: 2_831_155,
    media: { kind: 'photo', width: 1920, height: 1080, offsetKnown: true },
    recordedAt: at(14, 10, 21),
    recordedAtSource: 'derived',
    deviceId: 'DSJ-A8-0001',
    officerId: '010037',
    importedAt: at(15, 10, 18),
    derivation: {
      sourceSha256: video.sha256,
      mode: 'still',
      fromSec: 30,
      toSec: null,
      provenance: {
        source: { itemId: video.id, sha256: video.sha256, originalName: video.originalName },
        requested: { atSec: 30 },
        frameSec: 30.04,
        tool: 'ffmpeg',
        toolVersion: '7.1.1-1+b1',
      },
    },
  });
  return [video, photo, corrected, assumed, clipItem, stillItem];
}

function extraItem(n: number): PackageItem {
  const no = String(n).padStart(4, '0');
  const minute = n % 60;
  return item({
    id: `item-${no}`,
    originalName: `执法记录仪_20260314_${String(11 + Math.floor(n / 60)).padStart(2, '0')}${String(minute).padStart(2, '0')}00_DSJ-K3-${no}.MP4`,
    bagPath: `data/originals/${no}_DSJ-K3-${no}.MP4`,
    size: 10_000_000 + n * 7_919,
    media: { kind: 'video', durationSec: 60 + (n % 17), width: 1920, height: 1080, frameRate: 25, offsetKnown: true },
    recordedAt: at(14, 11 + (Math.floor(n / 60) % 12), minute),
    recordedAtSource: 'container',
    deviceId: `DSJ-K3-${no}`,
    officerId: String(10_000 + n * 37).padStart(6, '0'),
    gps: { lat: 31.2 + n / 10_000, lon: 121.47 + n / 10_000 },
  });
}

function custodyFor(items: PackageItem[], total: number, caseId: string): CustodyEntry[] {
  const inputs: Omit<CustodyEntry, 'seq' | 'prev' | 'hash'>[] = [];
  const push = (
    when: string,
    action: string,
    subject: string | null,
    sha256: string | null,
    details: Record<string, unknown>,
  ): void => {
    inputs.push({ at: when, actor: 'reviewer1', station: STATION_ID, action, subject, sha256, details });
  };
  for (const it of items.filter((i) => i.origin === 'original')) {
    push(it.importedAt, 'import', it.id, it.sha256, { originalName: it.originalName, size: it.size });
  }
  push(at(15, 9, 0), 'case.create', caseId, null, { number: 'ZF-2026-00012' });
  for (const it of items) {
    if (it.origin !== 'original')
      push(it.importedAt, `${it.origin}.create`, it.id, it.sha256, { sourceSha256: it.derivation?.sourceSha256 });
    if (
      it.timeProvenance.corrections &&
      Array.isArray(it.timeProvenance.corrections) &&
      it.timeProvenance.corrections.length > 0
    ) {
      push(at(15, 9, 12), 'item.correctTime', it.id, it.sha256, { recordedAt: it.recordedAt });
    }
    push(it.addedToCaseAt, 'case.addItem', caseId, it.sha256, { itemId: it.id });
    for (const t of it.tags) push(t.createdAt, 'tag.add', it.id, it.sha256, { tagId: t.id, code: t.code });
  }
  push(at(15, 11, 0), 'case.update', caseId, null, { fields: ['title', 'parties'] });
  let i = 0;
  while (inputs.length < total) {
    const it = items[i % items.length];
    if (it === undefined) break;
    push(at(15, 11, 5 + (i % 50), i % 60), 'item.view', it.id, it.sha256, { seconds: 30 + i });
    i += 1;
  }
  const entries: CustodyEntry[] = [];
  let prev = sha('the station chain before this case');
  inputs.forEach((input, index) => {
    const unhashed = { seq: 101 + index * 3, prev, ...input };
    const entry: CustodyEntry = { ...unhashed, hash: hashCustodyEntry(unhashed) };
    entries.push(entry);
    prev = entry.hash;
  });
  return entries;
}

export function sampleCaseJson(options: SampleCaseOptions = {}): { caseJson: CaseJson; custody: CustodyEntry[] } {
  const items = fixedItems();
  for (let n = 0; n < (options.extraItems ?? 0); n++) items.push(extraItem(items.length + 1));
  const custody = custodyFor(items, options.custodyEntries ?? 50, SAMPLE_CASE_ID);
  const head = custody[custody.length - 1];
  const caseJson: CaseJson = {
    format: 'evidence-station/case',
    formatVersion: 1,
    case: {
      id: SAMPLE_CASE_ID,
      number: 'ZF-2026-00012',
      version: 1,
      title: '淮海中路 18 号门前占道经营',
      place: '上海市黄浦区淮海中路 18 号门前人行道',
      occurredAt: at(14, 10, 15),
      parties: [
        { kind: 'business', name: '老王水果店', detail: '统一社会信用代码 91310101MA1FP0XX0X' },
        { kind: 'person', name: '王某某', detail: '经营者' },
        { kind: 'vehicle', name: '沪A·12345', detail: '白色三轮车' },
      ],
      notes: '当事人当场承认占道经营，已责令改正。',
      createdBy: 'reviewer1',
      createdAt: at(15, 9, 0),
    },
    seal: {
      sealedBy: 'reviewer1',
      sealedAt: '2026-03-16T14:05:09.000+08:00',
      stationId: STATION_ID,
      stationName: '黄浦城管执法一中队 工作站 1',
      office: '上海市黄浦区城市管理行政执法局',
      keyFingerprint: options.keyFingerprint ?? SAMPLE_FINGERPRINT,
      chainHead: { seq: head?.seq ?? 0, hash: head?.hash ?? sha('empty') },
      previousVersion: null,
    },
    items,
    software: { name: 'Evidence Station', version: '0.1.0', ffmpeg: '7.1.1-1+b1' },
  };
  return { caseJson, custody };
}
