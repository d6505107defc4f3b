import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClipMode, ClipPlan as ClipPlanOut, DerivedEvidence } from '../../shared/reviewSchemas';
import { ensureFreeSpace } from '../import/freeSpace';
import { findItemIdBySha, type ItemRow } from '../library/itemsRepo';
import { cutClip } from '../media/cut/clipCut';
import { planClip, type ClipPlan, type ClipRequest } from '../media/cut/clipPlan';
import type { ProbeResult } from '../media/probe/probeMedia';
import type { HashResult } from '../store/hashCopy';
import { evidencePath } from '../store/layout';
import { cutFailure, sourceInfoOf, sourceRecording, type CutContext } from './cutContext';
import { clipName, withoutDataDir } from './madeItemMedia';
import { probeMadeFile, storeAndRecord } from './storeAndRecord';

export interface ClipInput {
  jobId: string;
  itemId: string;
  fromSec: number;
  toSec: number;
  mode: ClipMode;
}

/** A re-encoded clip can be larger than the source's share of bytes; this much room is asked for. */
const EXACT_SIZE_FACTOR = 4;
const LOSSLESS_SIZE_FACTOR = 1.1;
const SIZE_SLACK_BYTES = 4 * 1024 * 1024;
/** Progress up to here is ffmpeg's; the rest is storing, verifying and recording. */
const CUT_SHARE = 0.9;

/** What the client sees of a plan: the measured range, never the source's internals. */
export function planForClient(plan: ClipPlan): ClipPlanOut {
  return {
    mode: plan.mode,
    requestedFromSec: plan.requestedFromSec,
    requestedToSec: plan.requestedToSec,
    fromSec: plan.fromSec,
    toSec: plan.toSec,
    frameCount: plan.frameCount,
    frameRate: plan.frameRate,
    container: plan.container,
  };
}

/** Reads what a clip of the range would hold; changes nothing. */
export async function planClipOf(ctx: CutContext, input: Omit<ClipInput, 'jobId'>): Promise<ClipPlan> {
  const source = sourceRecording(ctx.db, input.itemId);
  // Nothing cancels a plan but the engine closing (which ends every child process).
  const signal = new AbortController().signal;
  try {
    return await keptPlanOf(ctx, source, input);
  } catch (error) {
    throw cutFailure(error, 'clip', signal, ctx.log, { ...input });
  }
}

/**
 * The plan of a range of a stored recording, planned once per engine (`PlanCache`): the clip
 * panel's plan of the range serves its cut. Shared by whoever asks, so no one caller's cancel ends
 * it (it is one short ffprobe run); a cut checks its own signal once it has the plan.
 */
function keptPlanOf(ctx: CutContext, source: ItemRow, request: ClipRequest): Promise<ClipPlan> {
  const { fromSec, toSec, mode } = request;
  return ctx.plans.plan(source.sha256, { fromSec, toSec, mode }, async () => {
    const info = await sourceInfoOf(ctx, source);
    return planClip(
      ctx.tools,
      evidencePath(ctx.layout, source.sha256),
      { fromSec, toSec, mode },
      {
        log: ctx.log,
        source: info,
      },
    );
  });
}

function neededBytes(source: ItemRow, plan: ClipPlan): number {
  const duration = source.duration_sec ?? plan.source.durationSec ?? 0;
  const share = duration > 0 ? Math.min(1, (plan.toSec - plan.fromSec) / duration) : 1;
  const factor = plan.mode === 'exact' ? EXACT_SIZE_FACTOR : LOSSLESS_SIZE_FACTOR;
  return Math.ceil(source.size * share * factor) + SIZE_SLACK_BYTES;
}

/**
 * Cuts a clip of a recording into a new evidence item. The original is only read. The cut goes to
 * the store's temp folder and, once written, is read back in one pass: measured and probed by
 * one ffprobe run while the hashing worker reads it from the disk (direct I/O) and it is fsynced. Then it
 * is stored read-only under that hash (a rename: the blocks hashed are the blocks stored) and
 * recorded with its provenance and custody entry in one transaction. On cancel or failure nothing of it remains.
 */
export async function createClip(
  ctx: CutContext,
  input: ClipInput,
  actor: string,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<DerivedEvidence> {
  const source = sourceRecording(ctx.db, input.itemId);
  const about = { jobId: input.jobId, itemId: source.id, fromSec: input.fromSec, toSec: input.toSec, mode: input.mode };
  let out: string | null = null;
  const started = performance.now();
  try {
    const src = evidencePath(ctx.layout, source.sha256);
    const plan = await keptPlanOf(ctx, source, input);
    signal.throwIfAborted();
    await ensureFreeSpace(ctx.layout.tmpDir, neededBytes(source, plan), 'store.insufficientSpace');
    out = join(ctx.layout.tmpDir, `clip-${randomBytes(8).toString('hex')}${plan.extension}`);
    let reported = 0;
    let hashed: HashResult | undefined;
    let probed: ProbeResult | undefined;
    // Only error messages name the file; the name recorded is made from the measured range.
    const probeName = clipName(source.original_name, plan.fromSec, plan.toSec, plan.mode, out);
    const planned = performance.now();
    const cut = await cutClip(ctx.tools, src, out, plan, {
      signal,
      log: ctx.log,
      // The worker serves one job at a time: a cancel ends it, which must not fail another job's hash.
      hash: async (file, hashSignal) => {
        hashed = await ctx.jobs.exclusive(() => ctx.copier.hash(file, { signal: hashSignal }));
        return hashed.sha256;
      },
      alongside: async (file, ffprobeJson) => {
        probed = await probeMadeFile(ctx, file, probeName, signal, ffprobeJson);
      },
      onProgress: (fraction) => {
        const scaled = Math.min(CUT_SHARE, Math.max(0, fraction) * CUT_SHARE);
        if (scaled > reported) onProgress((reported = scaled));
      },
    });
    const measured = cut.measured;
    const provenance = withoutDataDir(
      {
        source: { itemId: source.id, sha256: source.sha256, originalName: source.original_name },
        mode: plan.mode,
        requested: { fromSec: input.fromSec, toSec: input.toSec },
        planned: planForClient(plan),
        measured,
        tool: cut.tool,
        toolVersion: cut.toolVersion,
        mediaTools: cut.mediaTools,
        args: cut.args,
        commandLine: cut.commandLine,
        streams: cut.streams,
        encoder: cut.encoder,
      },
      ctx.layout.root,
    );
    if (!hashed || !probed) throw new Error('the clip was not hashed and probed');
    const cutDone = performance.now();
    const made = await storeAndRecord(ctx, {
      temp: out,
      alreadyRead: { hashed, probed },
      signal,
      about,
      facts: {
        kind: 'clip',
        source,
        originalName: clipName(source.original_name, measured.fromSec, measured.toSec, plan.mode, out),
        mode: plan.mode,
        requestedFromSec: input.fromSec,
        requestedToSec: input.toSec,
        fromSec: measured.fromSec,
        toSec: measured.toSec,
        frameCount: measured.frameCount,
        provenance,
        actor,
      },
      findItemBySha: (sha) => findItemIdBySha(ctx.db, sha),
    });
    onProgress(1);
    ctx.log.info('clip made', {
      ...about,
      planMs: Math.round(planned - started),
      cutMs: Math.round(cutDone - planned),
      storeMs: Math.round(performance.now() - cutDone),
    });
    return made;
  } catch (error) {
    throw cutFailure(error, 'clip', signal, ctx.log, about);
  } finally {
    if (out) await rm(out, { force: true });
  }
}
