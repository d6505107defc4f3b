import { AppError } from '../../shared/errors';
import { REASON_MESSAGES } from '../../shared/i18n/messages';
import type { ImportFileResult, ItemDetail } from '../../shared/schemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface ImportArgs {
  paths: string[];
  wait: boolean;
  includeNonMedia: boolean;
}

/** One line of `import --json`: the source file, its outcome, and what the station stored. */
function toJson(station: CliStation, r: ImportFileResult, item: ItemDetail | null): Record<string, unknown> {
  const m = item?.media;
  return {
    path: r.path,
    relativePath: r.relativePath,
    sha256: r.sha256,
    size: r.size,
    id: r.itemId ?? r.duplicateOf,
    storedPath: item ? station.engine.storedPathOf(item.sha256) : null,
    duplicate: r.status === 'duplicate',
    status: r.status,
    ...(r.reasonCode ? { reason: r.reasonDetail ?? REASON_MESSAGES.en[r.reasonCode], reasonCode: r.reasonCode } : {}),
    media: m
      ? {
          kind: m.kind,
          durationSec: m.durationSec ?? null,
          width: m.width ?? null,
          height: m.height ?? null,
          videoCodec: m.videoCodec ?? null,
          audioCodec: m.audioCodec ?? null,
          frameRate: m.frameRate ?? null,
          recordedAt: m.recordedAt ?? null,
          recordedAtSource: m.recordedAtSource ?? null,
          offsetKnown: m.offsetKnown ?? false,
          ...(m.gps ? { gps: m.gps } : {}),
          make: m.make ?? null,
          model: m.model ?? null,
          serial: m.serial ?? null,
          firmware: m.firmware ?? null,
          deviceId: m.deviceId ?? null,
          officerId: m.officerId ?? null,
        }
      : null,
  };
}

function humanLine(r: ImportFileResult, index: number, total: number): string {
  const reason = r.reasonCode ? ` — ${escapeForTerminal(r.reasonDetail ?? REASON_MESSAGES.en[r.reasonCode])}` : '';
  const hash = r.sha256 ? ` ${r.sha256.slice(0, 12)}` : '';
  return `[${index}/${total}] ${r.status.padEnd(11)} ${escapeForTerminal(r.relativePath)}${hash}${reason}\n`;
}

/**
 * `import <paths…>`: exit 0 when no source failed, 1 when any failed or the import was cancelled
 * (Ctrl-C cancels cleanly: the file in progress is discarded, finished ones stay).
 */
/**
 * Starts the import, or waits while another one runs on this station (an engine runs one import
 * at a time; a second command against the same station queues behind the first).
 */
const BUSY_RETRY_MS = 1000;

async function startWhenFree(
  station: CliStation,
  input: { paths: string[]; includeNonMedia: boolean },
): Promise<string> {
  let said = false;
  for (;;) {
    // The running import's end, or a second later: a start refused just as it ended tries again.
    const finished = new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), BUSY_RETRY_MS);
      const off = station.engine.on('import.finished', () => done());
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
    });
    try {
      return (await station.call('import.start', input)).importId;
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'import.busy')) throw error;
    }
    if (!said) process.stderr.write('another import is running on this station; waiting for it to finish…\n');
    said = true;
    await finished;
  }
}

export async function runImport(opts: GlobalOptions, args: ImportArgs): Promise<number> {
  if (args.paths.length === 0) throw new UsageError('import needs at least one path');
  const station = await CliStation.open(opts, { runJobs: args.wait });
  try {
    await station.signIn(opts.user);
    const absolute = args.paths.map((p) => (p.startsWith('/') ? p : `${process.cwd()}/${p}`));
    let total = 0;
    let done = 0;
    // Events of every import on this station arrive here (another process may import too): only
    // this import's are shown. Those that come before its id is known wait in `early`.
    let importId: string | null = null;
    const early: (() => void)[] = [];
    const mine = (id: string, show: () => void): void => {
      if (importId === null) early.push(() => id === importId && show());
      else if (id === importId) show();
    };
    const off = [
      station.engine.on('import.progress', (p) => {
        mine(p.importId, () => (total = p.filesTotal));
      }),
      station.engine.on('import.fileDone', ({ importId: id, result }) => {
        mine(id, () => {
          done++;
          process.stderr.write(humanLine(result, done, total));
        });
      }),
    ];
    importId = await startWhenFree(station, { paths: absolute, includeNonMedia: args.includeNonMedia });
    for (const show of early.splice(0)) show();
    const onSignal = (): void => {
      process.stderr.write('cancelling the import…\n');
      void station.call('import.cancel', { importId });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const record = await station.engine.waitForImport(importId);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    off.forEach((f) => f());
    if (args.wait) {
      process.stderr.write('waiting for thumbnails, filmstrips and proxies…\n');
      await station.engine.whenJobsIdle();
    }

    const lines = [];
    for (const r of record.files) {
      const id = r.itemId ?? r.duplicateOf;
      const item = id ? await station.call('items.get', { id }) : null;
      lines.push(toJson(station, r, item));
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(lines, null, 2)}\n`);
    const c = record.counts;
    const verdict = record.safeToWipe
      ? 'all files verified — the camera may be wiped'
      : 'NOT all files are safely stored — see the outcomes above before wiping the camera';
    const summary = `import ${record.state}: ${c.imported} imported, ${c.duplicate} duplicate, ${c.undecodable} undecodable, ${c.skipped} skipped, ${c.failed} failed; ${verdict}\n`;
    (opts.json ? process.stderr : process.stdout).write(summary);
    return record.state === 'cancelled' || c.failed > 0 ? 1 : 0;
  } finally {
    await station.close();
  }
}
