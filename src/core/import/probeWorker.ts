import { parentPort } from 'node:worker_threads';
import { probeMedia } from '../media/probe/probeMedia';
import type { ProbeRequest, ProbeResponse } from './probeProtocol';

/**
 * Probes stored files off the engine's main thread. Starting ffprobe is a fork of the whole
 * engine process, and Node's spawn holds its thread until the child has exec'd: measured at
 * 100 ms and more a spawn for an engine under load, all of it on the thread that commits
 * outcomes and drives the copies. Here it holds only this worker.
 */
parentPort?.on('message', (req: ProbeRequest) => {
  probeMedia(req.tools, req.file, {
    fileName: req.fileName,
    modifiedAt: req.modifiedAt,
    patterns: req.patterns,
    stationOffsetMinutes: req.stationOffsetMinutes,
  }).then(
    (result) => parentPort?.postMessage({ id: req.id, ok: true, result } satisfies ProbeResponse),
    (error: unknown) =>
      parentPort?.postMessage({ id: req.id, ok: false, message: (error as Error).message } satisfies ProbeResponse),
  );
});
