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
export async function runImport(opts: GlobalOptions, args: ImportArgs): Promise<number> {
  if (args.paths.length === 0) throw new UsageError('import needs at least one path');
  const station = await CliStation.open(opts, { runJobs: args.wait });
  try {
    await station.signIn(opts.user);
    const absolute = args.paths.map((p) => (p.startsWith('/') ? p : `${process.cwd()}/${p}`));
    let total = 0;
    let done = 0;
    const off = [
      station.engine.on('import.progress', (p) => {
        total = p.filesTotal;
      }),
      station.engine.on('import.fileDone', ({ result }) => {
        done++;
        process.stderr.write(humanLine(result, done, total));
      }),
    ];
    const { importId } = await station.call('import.start', { paths: absolute, includeNonMedia: args.includeNonMedia });
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
