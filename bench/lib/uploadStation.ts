import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The upload figure's station: `bench/uploadChild.ts` as a process of its own (its sync worker in
 * it, so its memory is its own), driven by JSON lines on stdin, answering with JSON lines.
 */

const CHILD = fileURLToPath(new URL('../uploadChild.ts', import.meta.url));

export interface StationCase {
  caseId: string;
  number: string;
  size: number;
  /** The sealed package's copy of the case's one file: the same bytes the station uploads. */
  packageFile: string;
}

export interface SyncedAnswer {
  ms: number;
  passes: number;
  cpuMs: number;
  /** Bytes the server confirmed, re-sent ones counted again (the outbox's count). */
  bytesSent: number;
  filesSent: number;
  /** Files in the sealed package, and the bytes of those uploaded (not already held by the server). */
  packageFiles: number;
  uploadedBytes: number;
  receiptSeq: number | null;
  /** The station's resident memory when the sync began, and its high-water mark during it. */
  startRssBytes: number;
  peakRssBytes: number | null;
  /** Seen by polling the sync status (so within a few ms), from the start of the sync; null if never seen. */
  marks: { firstByte: number | null; fileDone: number | null; allFilesDone: number | null };
}

export class UploadStation {
  private readonly answers: Record<string, unknown>[] = [];
  private waiting: ((line: Record<string, unknown>) => void) | null = null;
  private stderr = '';
  private exited: string | null = null;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      if (this.waiting) {
        const deliver = this.waiting;
        this.waiting = null;
        deliver(parsed);
      } else this.answers.push(parsed);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (this.stderr = (this.stderr + c).slice(-4000)));
    child.on('close', (code, signal) => {
      this.exited = `the station process exited (${code ?? signal}): ${this.stderr.trim()}`;
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Starts the station, imports `sources` and seals a case of each; resolves when it is ready. */
  static async open(dataDir: string, sources: string[]): Promise<{ station: UploadStation; cases: StationCase[] }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, '--data', dataDir, ...sources.flatMap((s) => ['--source', s])],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const station = new UploadStation(child);
    const ready = await station.next('ready');
    return { station, cases: ready.cases as StationCase[] };
  }

  async enrol(url: string, code: string): Promise<void> {
    this.send({ cmd: 'enrol', url, code });
    await this.next('enrolled');
  }

  /** Approves case `index` (untimed) and syncs it until its receipt is stored (timed in the station). */
  async sync(index: number): Promise<SyncedAnswer> {
    this.send({ cmd: 'sync', case: index });
    return (await this.next('synced')) as unknown as SyncedAnswer;
  }

  async close(): Promise<void> {
    if (this.exited !== null) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.send({ cmd: 'exit' });
    this.child.stdin.end();
    await closed;
  }

  private send(command: Record<string, unknown>): void {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  private next(event: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (line: Record<string, unknown>): void => {
        if (line.event === event) resolve(line);
        else reject(new Error(`the station answered ${JSON.stringify(line)}, not ${event}`));
      };
      const queued = this.answers.shift();
      if (queued) return check(queued);
      if (this.exited !== null) return reject(new Error(this.exited));
      this.waiting = check;
      this.child.once('close', () => {
        if (this.waiting === check) {
          this.waiting = null;
          reject(new Error(this.exited ?? 'the station process exited'));
        }
      });
    });
  }
}

/** Resident memory and its high-water mark of a process, from /proc; null once it is gone. */
export async function rssOf(pid: number): Promise<{ rss: number; hwm: number } | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!text) return null;
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Polls the resident memory of some processes and keeps each one's highest. */
export class RssPoller {
  private readonly peaks = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly pids: number[],
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const pid of this.pids)
        void rssOf(pid).then((m) => {
          if (m) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, m.rss));
        });
    }, this.everyMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  peak(pid: number): number {
    return this.peaks.get(pid) ?? 0;
  }
}
