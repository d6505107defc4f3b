import type { Logger } from '../engineApi';
import type { MediaTools } from '../media/binaries';
import { findMainVideo, probeSource } from '../media/packets';

/**
 * Media time of a recording's first video frame, read from the file: where the player's frame
 * numbers start. 0 when the file cannot be read (the workspace still opens; frame numbers then
 * count from the container's start, as before).
 */
export async function videoStartOf(tools: MediaTools, file: string, log: Logger): Promise<number> {
  try {
    const source = await probeSource(tools, file, { log });
    const video = findMainVideo(source);
    const start = video?.startSec !== undefined ? video.startSec - source.startSec : 0;
    return Math.max(0, Math.round(start * 1e6) / 1e6);
  } catch (error) {
    log.warn('could not read where the video starts; frame numbers count from 0', {
      file,
      error: error instanceof Error ? error.message : String(error),
    });
    return 0;
  }
}
