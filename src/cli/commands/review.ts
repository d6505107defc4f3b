import type { CaseVersion } from '../../shared/sealSchemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface ReviewArgs {
  refs: string[];
  version: string | undefined;
  reason: string | undefined;
}

const APPROVE_USAGE = 'usage: approve <case> [--version N] [--json]';
const REJECT_USAGE = 'usage: reject <case> [--version N] --reason TEXT [--json]';

/**
 * `approve <case> [--version N] [--json]` and `reject <case> [--version N] --reason TEXT [--json]`:
 * a supervisor's (or an admin's) review of a sealed version, the latest by default. The engine
 * refuses a reviewer, the account that sealed or edited the version, and a version not waiting
 * for review. `--json` prints the version as `cases.versions` lists it.
 */
export async function runReview(opts: GlobalOptions, verdict: 'approve' | 'reject', args: ReviewArgs): Promise<number> {
  const usage = verdict === 'approve' ? APPROVE_USAGE : REJECT_USAGE;
  const [caseRef, ...extra] = args.refs;
  if (!caseRef || extra.length > 0) throw new UsageError(usage);
  if (verdict === 'reject' && !args.reason?.trim()) throw new UsageError(usage);
  if (verdict === 'approve' && args.reason !== undefined) throw new UsageError(usage);
  let version: number | undefined;
  if (args.version !== undefined) {
    version = Number(args.version);
    if (!Number.isInteger(version) || version < 1) throw new UsageError('--version must be a positive whole number');
  }
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { id } = await station.call('cases.get', { ref: caseRef });
    const reviewed =
      verdict === 'approve'
        ? await station.call('cases.approve', { caseId: id, version })
        : await station.call('cases.reject', { caseId: id, version, reason: args.reason! });
    process.stdout.write(opts.json ? `${JSON.stringify(reviewed, null, 2)}\n` : describeReview(reviewed));
    return 0;
  } finally {
    await station.close();
  }
}

function describeReview(v: CaseVersion): string {
  const t = escapeForTerminal;
  const name = `${t(v.caseNumber)} version ${v.version}`;
  if (v.state === 'rejected')
    return `rejected ${name} by ${t(v.rejectedBy ?? '')} at ${v.rejectedAt ?? ''}: ${t(v.rejectReason ?? '')}\nthe case is open again as version ${v.version + 1} (a draft)\n`;
  return `approved ${name} by ${t(v.approvedBy ?? '')} at ${v.approvedAt ?? ''}\ntag manifest SHA-256 ${v.tagManifestSha256}\nexports of this version now carry seal/approval.json\n`;
}
