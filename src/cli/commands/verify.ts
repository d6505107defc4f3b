import { stat } from 'node:fs/promises';
import { withStationAnchorOf } from '../../core/custody/stationAnchor';
import { readKnownKeys } from '../../core/keys/knownKeys';
import { groupFingerprint } from '../../core/keys/fingerprint';
import { normalizeFingerprint, verifyPackage } from '../../core/package/verifyPackage';
import type { VerifyReport } from '../../shared/sealSchemas';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

/**
 * `verify <folder|zip> [--json] [--data DIR] [--expect-fingerprint FP]`: checks a court package
 * on its own. It opens no engine, needs no account and writes nothing; `--data` only reads which
 * keys that station knows and whether its custody chain still holds the checkpoint the package carries.
 */

export interface VerifyArgs {
  path: string | undefined;
  json: boolean;
  /** Only the `--data` flag counts here, not $STATION_DATA: trust is asked for explicitly. */
  data: string | undefined;
  expectFingerprint: string | undefined;
}

const TRUST_TEXT: Record<VerifyReport['keyTrust'], string> = {
  station: "this station's own key",
  imported: 'a key imported on this station',
  expected: 'the expected key',
  unknown: 'not known here',
};

function printHuman(report: VerifyReport): void {
  const out: string[] = [];
  const name = report.case ? `${report.case}${report.version ? ` v${report.version}` : ''}` : '(unknown case)';
  out.push(`package: ${escapeForTerminal(name)}, ${report.payloadFiles} payload files, ${report.payloadBytes} bytes`);
  if (report.fingerprint) out.push(`key: ${groupFingerprint(report.fingerprint)} (${TRUST_TEXT[report.keyTrust]})`);
  const cp = report.checkpoint;
  if (cp)
    out.push(
      `custody checkpoint: entry ${cp.seq}, hash ${cp.hash}, signed ${escapeForTerminal(cp.at)} (${cp.verified ? 'signature and custody agree' : 'see the problems below'})`,
    );
  const approval = report.approval;
  if (approval)
    out.push(
      `approved by ${escapeForTerminal(approval.by)} at ${escapeForTerminal(approval.at)} (${approval.verified ? 'signature and package agree' : 'see the problems below'})`,
    );
  for (const r of report.receipts)
    out.push(
      `received by the central server: receipt ${r.seq} at ${escapeForTerminal(r.receivedAt)}, server key ${groupFingerprint(r.serverKeyFingerprint)} (${r.verified ? 'signature and package agree' : 'see the problems below'})`,
    );
  for (const p of report.problems)
    out.push(`${p.kind}: ${p.path ? `${escapeForTerminal(p.path)}: ` : ''}${escapeForTerminal(p.detail)}`);
  out.push(
    report.ok ? 'intact' : `NOT INTACT: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}`,
  );
  for (const w of report.warnings) out.push(`warning: ${escapeForTerminal(w)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function runVerify(args: VerifyArgs): Promise<number> {
  if (!args.path) throw new UsageError('verify needs a package: a bag folder or a .zip');
  let expectFingerprint: string | undefined;
  if (args.expectFingerprint !== undefined) {
    expectFingerprint = normalizeFingerprint(args.expectFingerprint);
    if (!/^[0-9a-f]{64}$/.test(expectFingerprint))
      throw new UsageError('--expect-fingerprint takes a SHA-256 fingerprint: 64 hex digits, spaces allowed');
  }
  let known;
  if (args.data !== undefined) {
    const info = await stat(args.data).catch(() => null);
    if (!info?.isDirectory()) throw new UsageError(`--data ${args.data}: not a folder`);
    known = await readKnownKeys(args.data);
  }
  const showProgress = !args.json && process.stderr.isTTY;
  let lastPercent = -1;
  const verdict = await verifyPackage(args.path, {
    known,
    expectFingerprint,
    onProgress: showProgress
      ? (done, total) => {
          const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
          if (percent === lastPercent) return;
          lastPercent = percent;
          process.stderr.write(`\rverifying ${percent}%`);
        }
      : undefined,
  });
  if (showProgress) process.stderr.write('\r\x1b[K');
  // A package this station signed must still be anchored in its chain: a cut chain no longer holds the entry.
  const report = args.data !== undefined ? await withStationAnchorOf(args.data, verdict) : verdict;
  if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printHuman(report);
  return report.ok ? 0 : 1;
}
