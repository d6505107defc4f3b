/**
 * SMPTE timecodes (`HH:MM:SS:FF`) that cameras write for a recording's first frame. A clip starts
 * later, so its timecode is the source's plus the clip's start; ffmpeg would otherwise copy the
 * source's value and label the clip's first frame with the recording's first.
 */

/**
 * The timecode `seconds` after `timecode` at `fps`, or null when it cannot be shifted exactly:
 * drop-frame timecodes (`;`), and rates that are not whole frames per second.
 */
export function shiftTimecode(timecode: string, seconds: number, fps: number): string | null {
  const match = /^(\d{2}):(\d{2}):(\d{2}):(\d{2})$/.exec(timecode.trim());
  const rate = Math.round(fps);
  if (!match || rate <= 0 || Math.abs(fps - rate) > 1e-3) return null;
  const [hours, minutes, secs, frames] = match.slice(1).map(Number) as [number, number, number, number];
  if (frames >= rate) return null;
  const perDay = 24 * 3600 * rate;
  const total =
    (((((hours * 60 + minutes) * 60 + secs) * rate + frames + Math.round(seconds * rate)) % perDay) + perDay) % perDay;
  const pad = (n: number) => String(n).padStart(2, '0');
  const f = total % rate;
  const s = Math.floor(total / rate);
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}:${pad(f)}`;
}
