import { describe, expect, it } from 'vitest';
import { parseFfmpegProgress, parseFfmpegProgressLine } from './ffmpegProgress';

/** Captured from ffmpeg 4.1 (`-progress pipe:1 -nostats`) encoding 8 s of 720p. */
const CAPTURED = `frame=75
fps=0.00
stream_0_0_q=28.0
bitrate=1881.8kbits/s
total_size=524336
out_time_us=2229116
out_time_ms=2229116
out_time=00:00:02.229116
dup_frames=0
drop_frames=0
speed= 4.4x
progress=continue
frame=175
fps=173.79
stream_0_0_q=28.0
bitrate=2359.1kbits/s
total_size=1835056
out_time_us=6222948
out_time_ms=6222948
out_time=00:00:06.222948
dup_frames=0
drop_frames=0
speed=6.18x
progress=continue
frame=200
fps=168.87
stream_0_0_q=-1.0
bitrate=2468.2kbits/s
total_size=2471552
out_time_us=8010884
out_time_ms=8010884
out_time=00:00:08.010884
dup_frames=0
drop_frames=0
speed=6.76x
progress=end`.split('\n');

describe('parseFfmpegProgress', () => {
  it('follows a real run block by block and ends at 1', () => {
    const blocks = [CAPTURED.slice(0, 12), CAPTURED.slice(0, 24), CAPTURED];
    const fractions = blocks.map((lines) => parseFfmpegProgress(lines, 8));
    expect(fractions[0]).toBeCloseTo(2.229116 / 8, 6);
    expect(fractions[1]).toBeCloseTo(6.222948 / 8, 6);
    expect(fractions[2]).toBe(1);
  });

  it('clamps past the duration (the last frame ends after it) and before zero', () => {
    expect(parseFfmpegProgress(CAPTURED.slice(0, 35), 8)).toBe(1);
    expect(parseFfmpegProgressLine('out_time=-00:00:00.023220', 8)).toBe(0);
    expect(parseFfmpegProgressLine('out_time_us=-23220', 8)).toBe(0);
  });

  it('ignores lines without time, N/A values, bad lines and an unknown duration', () => {
    expect(parseFfmpegProgressLine('out_time_us=N/A', 8)).toBeNull();
    expect(parseFfmpegProgressLine('out_time=N/A', 8)).toBeNull();
    expect(parseFfmpegProgressLine('progress=continue', 8)).toBeNull();
    expect(parseFfmpegProgressLine('garbage', 8)).toBeNull();
    expect(parseFfmpegProgressLine('out_time_us=', 8)).toBeNull();
    expect(parseFfmpegProgressLine('out_time_us=1000000', 0)).toBeNull();
    expect(parseFfmpegProgress(['frame=1', 'fps=0.0'], 8)).toBeNull();
    expect(parseFfmpegProgress([], 8)).toBeNull();
  });

  it('reads hours in out_time', () => {
    expect(parseFfmpegProgressLine('out_time=01:00:00.000000', 7200)).toBe(0.5);
  });
});
