import type { FileNamePattern } from '../../shared/schemas';
import type { MediaTools } from '../media/tools/binaries';
import type { ProbeResult } from '../media/probe/probeMedia';

/** Messages between the engine and a probe worker (`probeWorker.ts`). */
export interface ProbeRequest {
  id: number;
  tools: MediaTools;
  file: string;
  fileName: string;
  modifiedAt: Date | null;
  patterns: FileNamePattern[];
  stationOffsetMinutes: number;
}

export type ProbeResponse = { id: number; ok: true; result: ProbeResult } | { id: number; ok: false; message: string };
