/**
 * Media time, frame numbers and wall-clock time of the frame on screen. Media time is the
 * presentation time in seconds as `<video>.currentTime` and `requestVideoFrameCallback` report it;
 * frame n of a constant-rate recording is shown from origin + n/fps to origin + (n+1)/fps, where
 * the origin is the first frame's time (0 unless another stream starts first, as in MPEG-TS).
 */

/** The frames of a constant-rate recording: frame n is shown from `originSec + n / fps`. */
export interface FrameGrid {
  fps: number;
  originSec: number;
}

/** `hh:mm:ss.mmm`; hours are never dropped, so every time in the workspace reads the same way. */
export function formatMediaTime(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalSec = Math.floor(totalMs / 1000);
  const s = totalSec % 60;
  const m = Math.floor(totalSec / 60) % 60;
  const h = Math.floor(totalSec / 3600);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

/** The number of the frame whose presentation time this is (a frame's own time rounds to itself). */
export function frameNumberAt(mediaTimeSec: number, grid: FrameGrid): number {
  return Math.max(0, Math.round((mediaTimeSec - grid.originSec) * grid.fps));
}

/**
 * The frame shown at a playback position (`currentTime` lies anywhere inside a frame's interval).
 * The small allowance absorbs times such as 0.12 that are a hair under 3/25 in binary.
 */
export function frameNumberContaining(positionSec: number, grid: FrameGrid): number {
  return Math.max(0, Math.floor((positionSec - grid.originSec) * grid.fps + 1e-6));
}

/** Start of frame n on the media timeline. */
export function frameStartSec(frame: number, grid: FrameGrid): number {
  return grid.originSec + frame / grid.fps;
}

/**
 * Where to seek so that frame n is shown: its middle, far from both edges, because Chromium keeps
 * times in whole microseconds and a seek to the exact start can land on the frame before.
 */
export function frameSeekSec(frame: number, grid: FrameGrid): number {
  return grid.originSec + (frame + 0.5) / grid.fps;
}

export interface WallTime {
  /** `2026-03-01 09:31:23.480` in the recording's own offset. */
  text: string;
  /** `+08:00`, or `UTC` for Z. */
  zone: string;
}

const OFFSET_RE = /(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * Wall-clock time of a frame: the recording's start instant plus the media time, written in the
 * offset the recording was made in (evidence times are never converted to the viewer's zone).
 */
export function wallTimeAt(recordedAt: string, mediaTimeSec: number): WallTime | null {
  const startMs = Date.parse(recordedAt);
  const offset = OFFSET_RE.exec(recordedAt);
  if (!Number.isFinite(startMs) || !offset) return null;
  const offsetMin = offset[1] === 'Z' ? 0 : (offset[2] === '-' ? -1 : 1) * (Number(offset[3]) * 60 + Number(offset[4]));
  const local = new Date(startMs + Math.round(mediaTimeSec * 1000) + offsetMin * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}`;
  const time = `${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}`;
  return {
    text: `${date} ${time}.${pad(local.getUTCMilliseconds(), 3)}`,
    zone: offset[1] === 'Z' ? 'UTC' : offset[1]!,
  };
}

/** What the go-to box understood: a media time, or a frame number to show. */
export type GoToTarget = { kind: 'time'; seconds: number } | { kind: 'frame'; frame: number };

const CLOCK_RE = /^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$/;
const SECONDS_RE = /^\d+(?:\.\d+)?$/;
const FRAME_RE = /^#\s*(\d+)$/;

/**
 * Reads what a reviewer types to jump: `hh:mm:ss.mmm` (or `mm:ss`), plain seconds (`754.2`), or
 * `#frame`. Null when it is none of these; range checks are the caller's, who knows the duration.
 */
export function parseGoTo(input: string): GoToTarget | null {
  const text = input.trim().replace(/，/g, ',').replace(/：/g, ':').replace(/＃/g, '#');
  const frame = FRAME_RE.exec(text);
  if (frame) return { kind: 'frame', frame: Number(frame[1]) };
  if (SECONDS_RE.test(text)) return { kind: 'time', seconds: Number(text) };
  const clock = CLOCK_RE.exec(text);
  if (!clock) return null;
  const hours = clock[1] === undefined ? 0 : Number(clock[1]);
  const minutes = Number(clock[2]);
  const seconds = Number(clock[3]);
  if (minutes >= 60 || seconds >= 60) return null;
  return { kind: 'time', seconds: hours * 3600 + minutes * 60 + seconds };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
