import { createHash, randomUUID } from 'node:crypto';
import type { MediaInfo, MediaKind } from '../../src/shared/schemas';
import { appendCustody } from '../../src/core/custody/custodyLog';
import { inTransaction, type WritableDB } from '../../src/core/db/database';
import { finishImport, insertImport, insertImportFile } from '../../src/core/import/importRepo';
import { derivedVariantsFor } from '../../src/core/jobs/derivedRepo';
import { insertItem, type NewItem } from '../../src/core/library/itemsRepo';
import { formatWithOffset } from '../../src/core/util/time';

/**
 * A year of a busy office's footage, made up but shaped like the real thing: offloads of one
 * body-worn camera after a shift, GA/T 947-style names, mostly H.264 video with some photos and
 * audio, a few undecodable files, and every item on the custody log. Deterministic for a given count.
 * Rows only: no original is stored, so anything that reads one (playback, filmstrips, `check`) fails.
 */

const OFFSET_MIN = 480;
const YEAR_START_MS = Date.UTC(2025, 2, 1, 0, 0, 0) - OFFSET_MIN * 60_000;
const DAY_MS = 86_400_000;
const MODELS = ['DSJ-A8', 'DSJ-V7', 'DSJ-K3'] as const;
const DEVICES = Array.from({ length: 60 }, (_, i) => `${MODELS[i % MODELS.length]}-${String(i + 1).padStart(4, '0')}`);
const OFFICERS = Array.from({ length: 150 }, (_, i) => String(10_000 + i * 37).padStart(6, '0'));
const ACTORS = ['reviewer1', 'reviewer2', 'nightshift', 'bench'];

/** Small fast PRNG (mulberry32) so the same count always gives the same library. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function stamp(localMs: number): string {
  return new Date(localMs).toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

export interface SyntheticLibrary {
  items: number;
  imports: number;
  custodyEntries: number;
  /** Values the queries filter on, chosen from what was inserted so every query finds something. */
  probe: {
    device: string;
    /** Items recorded by `device`. */
    deviceItems: number;
    officer: string;
    nameFragment: string;
    /** Items whose name holds `nameFragment`. */
    nameFragmentItems: number;
    shaPrefix: string;
    monthFrom: string;
    monthTo: string;
  };
}

/** A derived file every seeded item can point at; paths are relative to the derived directory. */
export interface SharedThumbnail {
  file: string;
  sha256: string;
  provenance: Record<string, unknown>;
}

export interface SyntheticLibraryOptions {
  /** The station name custody entries carry. */
  station: string;
  /** Items that would get a poster point at this one ready file; without it they have none. */
  thumbnail: SharedThumbnail | null;
  /** Items per transaction. */
  batch: number;
}

/** Inserts `count` items through the repository functions, in transactions of about `opts.batch` items. */
export function insertSyntheticLibrary(db: WritableDB, count: number, opts: SyntheticLibraryOptions): SyntheticLibrary {
  const { station, thumbnail, batch } = opts;
  const rand = prng(20260301);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const perImport = 50;
  const importCount = Math.ceil(count / perImport);
  let made = 0;
  let custodyEntries = 0;
  let probe: SyntheticLibrary['probe'] | null = null;
  const sampleAt = Math.floor(count * 0.54321);
  const names: string[] = [];
  const devices: string[] = [];
  // Only posters: filmstrips and proxies would need the original, which a seeded station lacks.
  const insertThumbnail = db.prepare(
    `INSERT INTO derived (item_id, variant, state, file, sha256, provenance, updated_at)
     VALUES (?, 'thumbnail', 'ready', ?, ?, ?, ?)`,
  );
  const thumbnailProvenance = thumbnail ? JSON.stringify(thumbnail.provenance) : null;

  const writeImport = (n: number): void => {
    const device = DEVICES[n % DEVICES.length]!;
    const officer = OFFICERS[(n * 7 + Math.floor(n / DEVICES.length)) % OFFICERS.length]!;
    const dayStartMs = YEAR_START_MS + Math.floor((n * 365) / importCount) * DAY_MS;
    const shiftStartMs = dayStartMs + (7 + Math.floor(rand() * 10)) * 3_600_000;
    const files = Math.min(perImport, count - made);
    const importedMs = shiftStartMs + 9 * 3_600_000 + Math.floor(rand() * 3_600_000);
    const importId = randomUUID();
    const actor = pick(ACTORS);
    const importedAt = formatWithOffset(new Date(importedMs), OFFSET_MIN);
    const sourceDevice = `${device} (USB mass storage)`;
    insertImport(db, {
      id: importId,
      account: actor,
      station,
      startedAt: importedAt,
      sources: [`/media/${device}/DCIM`],
      sourceDevice,
      includeNonMedia: false,
    });
    const at = (extraMs: number): string => formatWithOffset(new Date(importedMs + extraMs), OFFSET_MIN);
    const custody = (
      action: string,
      subject: string,
      sha256: string | null,
      details: Record<string, unknown>,
      t = 0,
    ) => {
      custodyEntries++;
      return appendCustody(db, { at: at(t), actor, station, action, subject, sha256, details });
    };
    custody('import.start', importId, null, { sources: [`/media/${device}/DCIM`], files, sourceDevice });
    let clockMs = shiftStartMs;
    for (let f = 0; f < files; f++) {
      const i = made++;
      const roll = rand();
      const kind: MediaKind = roll < 0.88 ? 'video' : roll < 0.97 ? 'photo' : 'audio';
      const durationSec = kind === 'video' ? 60 + Math.floor(rand() * 840) : kind === 'audio' ? 300 + rand() * 3000 : 0;
      clockMs += (durationSec + 30 + rand() * 600) * 1000;
      const localMs = clockMs + OFFSET_MIN * 60_000;
      const ext = kind === 'video' ? 'MP4' : kind === 'photo' ? 'JPG' : 'WAV';
      const originalName = `${device}_${officer}_${stamp(localMs)}_${String(f + 1).padStart(4, '0')}.${ext}`;
      const sha256 = createHash('sha256').update(`bench item ${i}`).digest('hex');
      if (i === sampleAt) {
        probe = {
          device,
          deviceItems: 0,
          officer,
          // The recording day as a reviewer would type it: "20250923".
          nameFragment: stamp(localMs).slice(0, 8),
          nameFragmentItems: 0,
          shaPrefix: sha256.slice(0, 12),
          monthFrom: formatWithOffset(new Date(clockMs - 15 * DAY_MS), OFFSET_MIN),
          monthTo: formatWithOffset(new Date(clockMs + 15 * DAY_MS), OFFSET_MIN),
        };
      }
      const undecodable = rand() < 0.005;
      const hevc = kind === 'video' && rand() < 0.1;
      const recordedAt = formatWithOffset(new Date(clockMs), OFFSET_MIN);
      const media: MediaInfo = {
        kind,
        recordedAt,
        recordedAtSource: 'filename',
        offsetKnown: false,
        deviceId: device,
        officerId: officer,
        make: 'Bench',
        model: device.slice(0, 6),
        ...(kind === 'video' && !undecodable
          ? {
              container: 'mov,mp4,m4a,3gp,3g2,mj2',
              mimeType: 'video/mp4',
              durationSec,
              width: 1920,
              height: 1080,
              frameRate: 30,
              videoCodec: hevc ? 'hevc' : 'h264',
              audioCodec: 'aac',
              pixelFormat: 'yuv420p',
              bitRate: 8_000_000,
              browserPlayable: !hevc,
            }
          : {}),
        ...(kind === 'audio' && !undecodable ? { container: 'wav', durationSec, audioCodec: 'pcm_s16le' } : {}),
        ...(kind === 'photo' ? { width: 4000, height: 3000, mimeType: 'image/jpeg' } : {}),
        ...(rand() < 0.3 ? { gps: { lat: 31.2 + rand() * 0.2, lon: 121.4 + rand() * 0.2 } } : {}),
      };
      const size = kind === 'photo' ? 2_000_000 + Math.floor(rand() * 3_000_000) : Math.floor(durationSec * 1_000_000);
      const itemId = randomUUID();
      const relativePath = `DCIM/100MEDIA/${originalName}`;
      const entry = custody(
        'import',
        itemId,
        sha256,
        {
          importId,
          originalName,
          relativePath,
          sourcePath: `/media/${device}/${relativePath}`,
          sourceDevice,
          size,
          outcome: undecodable ? 'undecodable' : 'imported',
          kind,
        },
        f * 20_000,
      );
      const item: NewItem = {
        id: itemId,
        sha256,
        size,
        originalName,
        relativePath,
        sourcePath: `/media/${device}/${relativePath}`,
        sourceDevice,
        modifiedAt: recordedAt,
        kind,
        status: undecodable ? 'undecodable' : 'ok',
        reason: undecodable ? 'moov atom not found' : null,
        importId,
        importedAt: at(f * 20_000),
        importedBy: actor,
        media,
        custodySeq: entry.seq,
      };
      insertItem(db, item);
      names.push(originalName);
      devices.push(device);
      if (thumbnail && !undecodable && derivedVariantsFor(media).includes('thumbnail')) {
        insertThumbnail.run(
          itemId,
          thumbnail.file,
          thumbnail.sha256,
          thumbnailProvenance,
          new Date(importedMs).toISOString(),
        );
      }
      insertImportFile(db, importId, f, {
        path: item.sourcePath,
        relativePath,
        originalName,
        size,
        modifiedAt: recordedAt,
        sha256,
        status: undecodable ? 'undecodable' : 'imported',
        itemId,
        duplicateOf: null,
        reasonCode: undecodable ? 'probeFailed' : null,
        reasonDetail: item.reason,
      });
    }
    finishImport(db, importId, 'completed', at(files * 20_000));
    custody('import.finish', importId, null, { counts: { imported: files }, safeToWipe: true }, files * 20_000);
  };

  for (let n = 0; n < importCount;) {
    const upTo = Math.min(importCount, n + Math.ceil(batch / perImport));
    inTransaction(db, () => {
      for (; n < upTo; n++) writeImport(n);
    });
  }

  const sample = probe as SyntheticLibrary['probe'] | null;
  if (!sample) throw new Error('the sample item was never made');
  sample.deviceItems = devices.filter((d) => d === sample.device).length;
  sample.nameFragmentItems = names.filter((n) => n.includes(sample.nameFragment)).length;
  return { items: made, imports: importCount, custodyEntries, probe: sample };
}
