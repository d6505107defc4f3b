import type { MediaTools } from '../../src/core/media/tools/binaries';

/** What every figure gets from the runner. */
export interface FigureContext {
  /** A directory of its own under the run's temporary root; removed by the runner afterwards. */
  dir: string;
  quick: boolean;
  /** The ffmpeg/ffprobe the station itself resolves. */
  tools: MediaTools;
  /** Progress for the person watching; goes to stderr so stdout keeps only the tables. */
  say(message: string): void;
}
