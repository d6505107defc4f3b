import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface ExportArgs {
  refs: string[];
  version: string | undefined;
  to: string | undefined;
  zip: boolean;
}

/**
 * `export <case> [--version N] --to DIR [--zip] [--json]`: writes a sealed version (the latest by
 * default) into DIR as a folder or one zip, reads it back and verifies it. Prints the path
 * (`{ "path" }` with --json); progress goes to stderr when it is a terminal.
 */
export async function runExport(opts: GlobalOptions, args: ExportArgs): Promise<number> {
  const [caseRef, ...extra] = args.refs;
  if (!caseRef || extra.length > 0 || !args.to) {
    throw new UsageError('usage: export <case> [--version N] --to DIR [--zip] [--json]');
  }
  let version: number | undefined;
  if (args.version !== undefined) {
    version = Number(args.version);
    if (!Number.isInteger(version) || version < 1) throw new UsageError('--version must be a positive whole number');
  }
  const station = await CliStation.open(opts, { runJobs: false });
  const jobId = `cli-export-${randomUUID()}`;
  const showProgress = process.stderr.isTTY === true;
  const off = station.engine.on('export.progress', (p) => {
    if (!showProgress || p.jobId !== jobId) return;
    const percent = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 100;
    const eta = p.etaSec === null ? '' : `, about ${Math.ceil(p.etaSec)} s left`;
    process.stderr.write(`\r${p.phase === 'copy' ? 'writing' : 'verifying'} ${percent}%${eta}   `);
  });
  // Ctrl-C cancels: the exporter removes its temporary copy before the command ends.
  const onSigint = (): void => void station.call('cases.exportCancel', { jobId }).catch(() => undefined);
  process.on('SIGINT', onSigint);
  try {
    await station.signIn(opts.user);
    const { id } = await station.call('cases.get', { ref: caseRef });
    const result = await station.call('cases.export', {
      caseId: id,
      to: resolve(args.to),
      zip: args.zip,
      jobId,
      ...(version !== undefined ? { version } : {}),
    });
    if (showProgress) process.stderr.write('\n');
    process.stdout.write(
      opts.json
        ? `${JSON.stringify({ path: result.path })}\n`
        : `exported and verified: ${escapeForTerminal(result.path)}\n`,
    );
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    off();
    await station.close();
  }
}
