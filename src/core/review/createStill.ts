import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DerivedEvidence } from '../../shared/reviewSchemas';
import type { MediaInfo } from '../../shared/schemas';
import { ensureFreeSpace } from '../import/freeSpace';
import { findItemIdBySha } from '../library/itemsRepo';
import { makeStill } from '../media/cut/still';
import { evidencePath } from '../store/layout';
import { cutFailure, sourceInfoOf, sourceRecording, type CutContext } from './cutContext';
import { stillName, withoutDataDir } from './madeItemMedia';
import { storeAndRecord } from './storeAndRecord';

/** A PNG is at most a little over its raw pixels: room for 8 bytes a pixel (16-bit RGBA) is asked for. */
const BYTES_PER_PIXEL = 8;
const SIZE_SLACK_BYTES = 1024 * 1024;
/** When the recording does not say its size: a 4K frame. */
const FALLBACK_PIXELS = 3840 * 2160;

/**
 * Takes the frame shown at `atSec` as a lossless PNG at full resolution, a new evidence item with
 * provenance (source hash, the frame's own time, tool and arguments). Stored and recorded like a
 * clip (`storeAndRecord`).
 */
export async function createStill(
  ctx: CutContext,
  input: { itemId: string; atSec: number },
  actor: string,
  signal: AbortSignal,
): Promise<DerivedEvidence> {
  const source = sourceRecording(ctx.db, input.itemId);
  const about = { itemId: source.id, atSec: input.atSec };
  const out = join(ctx.layout.tmpDir, `still-${randomBytes(8).toString('hex')}.png`);
  try {
    const media = JSON.parse(source.media) as MediaInfo;
    const pixels = media.width && media.height ? media.width * media.height : FALLBACK_PIXELS;
    await ensureFreeSpace(ctx.layout.tmpDir, pixels * BYTES_PER_PIXEL + SIZE_SLACK_BYTES, 'store.insufficientSpace');
    const still = await makeStill(
      ctx.tools,
      evidencePath(ctx.layout, source.sha256),
      out,
      { atSec: input.atSec },
      { signal, log: ctx.log, source: await sourceInfoOf(ctx, source) },
    );
    const { path: _path, ...made } = still;
    const provenance = withoutDataDir(
      {
        source: { itemId: source.id, sha256: source.sha256, originalName: source.original_name },
        requested: { atSec: input.atSec },
        ...made,
      },
      ctx.layout.root,
    );
    return await storeAndRecord(ctx, {
      temp: out,
      signal,
      about,
      facts: {
        kind: 'still',
        source,
        originalName: stillName(source.original_name, still.frameSec),
        mode: null,
        requestedFromSec: input.atSec,
        requestedToSec: null,
        fromSec: still.frameSec,
        toSec: still.frameSec,
        frameCount: 1,
        provenance,
        actor,
      },
      findItemBySha: (sha) => findItemIdBySha(ctx.db, sha),
    });
  } catch (error) {
    throw cutFailure(error, 'still', signal, ctx.log, about);
  } finally {
    await rm(out, { force: true });
  }
}
