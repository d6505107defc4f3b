/**
 * Reads ffmpeg's `-progress pipe:1` output (blocks of `key=value` lines ending in
 * `progress=continue|end`). Pure: fed lines, returns fractions clamped to 0..1.
 */

/** The fraction done that one line shows, or null when the line says nothing about time. */
export function parseFfmpegProgressLine(line: string, durationSec: number): number | null {
  const eq = line.indexOf('=');
  if (eq < 0) return null;
  const key = line.slice(0, eq).trim();
  const value = line.slice(eq + 1).trim();
  if (key === 'progress') return value === 'end' ? 1 : null;
  if (!(durationSec > 0)) return null;
  // `out_time_ms` is microseconds too (an old ffmpeg misnomer); `out_time_us` replaced it.
  if (key === 'out_time_us' || key === 'out_time_ms') {
    const micros = Number(value);
    return value !== '' && Number.isFinite(micros) ? clamp(micros / 1e6 / durationSec) : null;
  }
  if (key === 'out_time') {
    const seconds = parseClock(value);
    return seconds === null ? null : clamp(seconds / durationSec);
  }
  return null;
}

/** The latest fraction the lines show, or null when none says anything about time. */
export function parseFfmpegProgress(lines: readonly string[], durationSec: number): number | null {
  let latest: number | null = null;
  for (const line of lines) latest = parseFfmpegProgressLine(line, durationSec) ?? latest;
  return latest;
}

/** `00:01:02.500000` or `-00:00:00.023220` → seconds; `N/A` → null. */
function parseClock(text: string): number | null {
  const match = /^(-)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (!match) return null;
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4]);
  return match[1] ? -seconds : seconds;
}

function clamp(fraction: number): number {
  return Math.min(1, Math.max(0, fraction));
}
