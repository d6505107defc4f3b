import type { Worker } from 'node:worker_threads';
import type { ProbeContext, ProbeResult } from '../media/probe/probeMedia';
import type { MediaTools } from '../media/tools/binaries';
import { startWorker } from '../workers/startWorker';
import type { ProbeRequest, ProbeResponse } from './probeProtocol';

export class ProbeWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeWorkerError';
  }
}

interface Pending {
  resolve(result: ProbeResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Runs `probeMedia` in worker threads (`probeWorker.ts`), one request at a time per worker unless
 * more are asked for than there are workers. A worker that dies fails its requests and is
 * replaced on the next one. Idle workers do not keep the process alive.
 */
export class ProbePool {
  private readonly slots: (Slot | null)[];
  private nextId = 1;

  constructor(size: number) {
    this.slots = Array.from({ length: size }, () => null);
  }

  /** Boots the workers ahead of the first probe. */
  prestart(): void {
    for (let i = 0; i < this.slots.length; i++) this.slot(i);
  }

  probe(tools: MediaTools, file: string, ctx: Omit<ProbeContext, 'signal' | 'log'>): Promise<ProbeResult> {
    const index = this.leastBusy();
    const slot = this.slot(index);
    const id = this.nextId++;
    const req: ProbeRequest = {
      id,
      tools,
      file,
      fileName: ctx.fileName,
      modifiedAt: ctx.modifiedAt,
      patterns: ctx.patterns,
      stationOffsetMinutes: ctx.stationOffsetMinutes,
    };
    return new Promise<ProbeResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage(req);
    });
  }

  async close(): Promise<void> {
    const slots = this.slots.filter((s): s is Slot => s !== null);
    this.slots.fill(null);
    await Promise.all(slots.map((s) => s.worker.terminate()));
    for (const s of slots) this.failAll(s, new ProbeWorkerError('the probe worker was closed'));
  }

  private leastBusy(): number {
    let best = 0;
    for (let i = 1; i < this.slots.length; i++) {
      if ((this.slots[i]?.pending.size ?? 0) < (this.slots[best]?.pending.size ?? 0)) best = i;
    }
    return best;
  }

  private slot(index: number): Slot {
    const running = this.slots[index];
    if (running) return running;
    // From source this module is a .ts file beside the worker's .ts; in a bundle both are .js.
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const worker = startWorker(new URL(`./probeWorker${ext}`, import.meta.url));
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (msg: ProbeResponse) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new ProbeWorkerError(msg.message));
    });
    const fail = (error: Error): void => {
      if (this.slots[index] === slot) this.slots[index] = null;
      this.failAll(slot, error);
    };
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => fail(new ProbeWorkerError(`the probe worker ended (exit code ${code})`)));
    this.slots[index] = slot;
    return slot;
  }

  private failAll(slot: Slot, error: Error): void {
    const pending = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of pending) p.reject(error);
  }
}
