import type { SourceInfo } from '../media/probe/packets';
import { KeptReads } from './keptReads';

/**
 * Stream facts of stored recordings (ffprobe's streams and format), kept per SHA-256: the clip
 * planner reads only the packets around a range once the item is known (the in and out points
 * move often), and opening a recording, planning and cutting probe its streams once.
 */
export class SourceCache extends KeptReads<SourceInfo> {
  constructor(limit = 64) {
    super(limit);
  }
}
