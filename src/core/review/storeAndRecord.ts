import type { DerivedEvidence } from '../../shared/reviewSchemas';
import { probeMedia, type ProbeResult } from '../media/probe/probeMedia';
import type { HashResult } from '../store/hashCopy';
import { storeMadeFile } from '../store/storeMadeFile';
import { localOffsetMinutes } from '../util/time';
import type { CutContext } from './cutContext';
import { madeItemMedia } from './madeItemMedia';
import { evidenceOf, recordMadeItem, recordRepeatedItem, type CutFacts } from './recordMadeItem';

export interface StoreAndRecordInput {
  /** The tool's finished output in the store's temp folder; moved into the store or removed. */
  temp: string;
  /**
   * What the tool's run already read from the finished file: its hash from the disk (see
   * `storeMadeFile`'s `hashed`) and its probe (`probeMadeFile`). Then it is not read again.
   */
  alreadyRead?: { hashed: HashResult; probed: ProbeResult };
  signal: AbortSignal;
  /** For log lines. */
  about: Record<string, unknown>;
  facts: Omit<CutFacts, 'sha256' | 'size'>;
  findItemBySha(sha256: string): string | null;
}

/**
 * The common end of a clip and a still: hash (unless the cut did) and probe the output, store it (or find the item that
 * already holds the same bytes), record it. One job at a time (`jobs.exclusive`), and a cancel
 * is honoured up to the transaction, after which the item exists and is reported.
 */
export function storeAndRecord(ctx: CutContext, input: StoreAndRecordInput): Promise<DerivedEvidence> {
  const { signal, facts } = input;
  return ctx.jobs.exclusive(async () => {
    signal.throwIfAborted();
    const made = await storeMadeFile({
      layout: ctx.layout,
      copier: ctx.copier,
      temp: input.temp,
      hashed: input.alreadyRead?.hashed,
      findItemBySha: input.findItemBySha,
      inspect: async (temp) => input.alreadyRead?.probed ?? probeMadeFile(ctx, temp, facts.originalName, signal),
      signal,
    });
    if (made.kind === 'duplicate') {
      ctx.log.info(`${facts.kind} gave the bytes of an existing item`, { ...input.about, existing: made.itemId });
      return recordRepeatedItem(ctx.db, ctx.record, ctx.now(), {
        ...facts,
        sha256: made.sha256,
        size: made.bytes,
        existingItemId: made.itemId,
      });
    }
    let itemId: string;
    try {
      const probe = made.inspected;
      if (!probe.ok) throw new Error(`the ${facts.kind} that was made cannot be read back: ${probe.reason}`);
      signal.throwIfAborted();
      itemId = recordMadeItem(ctx.db, ctx.record, ctx.now(), {
        ...facts,
        sha256: made.sha256,
        size: made.bytes,
        media: madeItemMedia(probe.info, facts.source, facts.fromSec),
      });
    } catch (error) {
      await made.settle(false);
      throw error;
    }
    await made.settle(true);
    return evidenceOf(ctx.db, itemId);
  });
}

/**
 * Reads a made file as an item: the facts its row keeps (kind, streams, duration, playability).
 * `ffprobeJson`: what ffprobe already said of this file (a clip's measurement), so it is not run again.
 */
export function probeMadeFile(
  ctx: CutContext,
  file: string,
  name: string,
  signal: AbortSignal,
  ffprobeJson?: unknown,
): Promise<ProbeResult> {
  return probeMedia(ctx.tools, file, {
    fileName: name,
    modifiedAt: null,
    patterns: [],
    stationOffsetMinutes: localOffsetMinutes(ctx.now()),
    signal,
    log: ctx.log,
    ...(ffprobeJson === undefined ? {} : { ffprobeJson }),
  });
}
