/**
 * What the Sync panel shows of a file being uploaded now: bytes, speed and time left. Held in
 * memory only (the outbox keeps what the server confirmed); the speed is measured over the last
 * few seconds, so it follows a throttle or a slow line instead of averaging the whole file.
 */

const WINDOW_MS = 5_000;

interface Sample {
  atMs: number;
  bytes: number;
}

export interface LiveFile {
  bytesDone: number;
  bytesPerSec: number | null;
  secondsLeft: number | null;
}

export class LiveProgress {
  private readonly files = new Map<string, Sample[]>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  private static key(caseId: string, version: number, path: string): string {
    return `${caseId}\n${version}\n${path}`;
  }

  update(caseId: string, version: number, path: string, bytes: number): void {
    const key = LiveProgress.key(caseId, version, path);
    const samples = this.files.get(key) ?? [];
    const atMs = this.clock();
    samples.push({ atMs, bytes });
    while (samples.length > 2 && samples[0]!.atMs < atMs - WINDOW_MS) samples.shift();
    this.files.set(key, samples);
  }

  end(caseId: string, version: number, path: string): void {
    this.files.delete(LiveProgress.key(caseId, version, path));
  }

  isUploading(caseId: string, version: number, path: string): boolean {
    return this.files.has(LiveProgress.key(caseId, version, path));
  }

  get(caseId: string, version: number, path: string, size: number): LiveFile | null {
    const samples = this.files.get(LiveProgress.key(caseId, version, path));
    const last = samples?.at(-1);
    if (!samples || !last) return null;
    const first = samples[0]!;
    const seconds = (last.atMs - first.atMs) / 1000;
    const bytesPerSec = seconds > 0.2 && last.bytes >= first.bytes ? (last.bytes - first.bytes) / seconds : null;
    const secondsLeft = bytesPerSec && bytesPerSec > 0 ? Math.max(0, size - last.bytes) / bytesPerSec : null;
    return { bytesDone: last.bytes, bytesPerSec, secondsLeft };
  }
}
