import { findMainVideo, type SourceInfo } from '../media/probe/packets';

/**
 * Media time of a recording's first video frame: where the player's frame numbers start. Later
 * than 0 when another stream starts first (MPEG-TS starts its sound 21 ms or so before the picture).
 */
export function videoStartOf(source: SourceInfo): number {
  const video = findMainVideo(source);
  const start = video?.startSec !== undefined ? video.startSec - source.startSec : 0;
  return Math.max(0, Math.round(start * 1e6) / 1e6);
}
