import type { CaseDetail } from '../../shared/reviewSchemas';
import type { CaseVersion, VersionDiff } from '../../shared/sealSchemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface CaseArgs {
  sub: string | undefined;
  /** For `add` and `show`: the case, then the items. */
  refs: string[];
  title: string | undefined;
  place: string | undefined;
  reason: string | undefined;
  version: string | undefined;
}

const USAGE =
  'usage: case create --title TITLE [--place PLACE] | case add <case> <item…> | case show <case> | case reopen <case> --reason TEXT | case versions <case> | case diff <case> [--version N]';

/**
 * `case create`, `case add <case> <item…>` and `case show <case>`. A case is named by its id or
 * its number, an item by its id or SHA-256. `--json` prints the case as `cases.get` returns it.
 */
export async function runCase(opts: GlobalOptions, args: CaseArgs): Promise<number> {
  const [caseRef, ...itemRefs] = args.refs;
  if (args.sub === 'create') {
    if (!args.title?.trim()) throw new UsageError('case create needs --title');
  } else if (args.sub === 'add') {
    if (!caseRef || itemRefs.length === 0) throw new UsageError('usage: case add <case> <item…>');
  } else if (args.sub === 'show') {
    if (!caseRef || itemRefs.length > 0) throw new UsageError('usage: case show <case> [--json]');
  } else if (args.sub === 'reopen') {
    if (!caseRef || itemRefs.length > 0 || !args.reason?.trim()) {
      throw new UsageError('usage: case reopen <case> --reason TEXT [--json]');
    }
  } else if (args.sub === 'versions') {
    if (!caseRef || itemRefs.length > 0) throw new UsageError('usage: case versions <case> [--json]');
  } else if (args.sub === 'diff') {
    if (!caseRef || itemRefs.length > 0) throw new UsageError('usage: case diff <case> [--version N] [--json]');
  } else {
    throw new UsageError(USAGE);
  }
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    if (args.sub === 'versions') {
      const { id } = await station.call('cases.get', { ref: caseRef! });
      const versions = await station.call('cases.versions', { caseId: id });
      process.stdout.write(opts.json ? `${JSON.stringify(versions, null, 2)}\n` : describeVersions(versions));
      return 0;
    }
    if (args.sub === 'diff') {
      const { id, number } = await station.call('cases.get', { ref: caseRef! });
      let version = args.version === undefined ? undefined : Number(args.version);
      if (version !== undefined && (!Number.isInteger(version) || version < 1))
        throw new UsageError('--version must be a positive whole number');
      if (version === undefined) {
        const versions = await station.call('cases.versions', { caseId: id });
        version = versions.at(-1)?.version;
        if (version === undefined) throw new UsageError(`case ${number} has no sealed version to compare`);
      }
      const diff = await station.call('cases.versionDiff', { caseId: id, version });
      process.stdout.write(opts.json ? `${JSON.stringify(diff, null, 2)}\n` : describeDiff(diff));
      return 0;
    }
    let detail: CaseDetail;
    if (args.sub === 'reopen') {
      const { id } = await station.call('cases.get', { ref: caseRef! });
      detail = await station.call('cases.reopen', { caseId: id, reason: args.reason! });
    } else if (args.sub === 'create') {
      detail = await station.call('cases.create', { title: args.title!, place: args.place ?? '' });
    } else if (args.sub === 'add') {
      const { id: caseId, itemCount } = await station.call('cases.get', { ref: caseRef! });
      const itemIds: string[] = [];
      for (const ref of itemRefs) itemIds.push((await station.call('items.resolve', { ref })).id);
      detail = await station.call('cases.addItems', { caseId, itemIds });
      if (!opts.json) {
        const added = detail.itemCount - itemCount;
        process.stderr.write(`added ${added} item(s); ${itemIds.length - added} already in the case\n`);
      }
    } else {
      detail = await station.call('cases.get', { ref: caseRef! });
    }
    process.stdout.write(opts.json ? `${JSON.stringify(detail, null, 2)}\n` : describeCase(detail));
    return 0;
  } finally {
    await station.close();
  }
}

function describeCase(c: CaseDetail): string {
  const t = escapeForTerminal;
  const lines = [
    `case    ${t(c.number)}  version ${c.version} (${c.state}; ${c.sealedVersions} sealed)`,
    `id      ${c.id}`,
    `title   ${t(c.title)}`,
    ...(c.place ? [`place   ${t(c.place)}`] : []),
    ...c.parties.map((p) => `party   ${p.kind}: ${t(p.name)}`),
    `items   ${c.itemCount}`,
  ];
  for (const entry of c.items) {
    const tags = entry.tags.map((t) => t.code).join(', ');
    lines.push(
      `  ${entry.startsAt ?? '(time unknown)'.padEnd(24)}  ${entry.item.sha256.slice(0, 12)}  ${t(entry.item.originalName)}${tags ? `  [${t(tags)}]` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeVersions(versions: CaseVersion[]): string {
  if (versions.length === 0) return 'no sealed version yet\n';
  const lines = versions.map((v) => {
    const t = escapeForTerminal;
    const reopened = v.reopenedAt
      ? `  reopened by ${t(v.reopenedBy ?? '')} at ${v.reopenedAt}: ${t(v.reopenReason ?? '')}`
      : '';
    const review =
      v.state === 'sealed'
        ? ''
        : v.state === 'rejected'
          ? `  rejected by ${t(v.rejectedBy ?? '')} at ${v.rejectedAt ?? ''}`
          : `  ${v.state}; approved by ${t(v.approvedBy ?? '')} at ${v.approvedAt ?? ''}${v.refuseReason ? `; refused by the server: ${t(v.refuseReason)}` : ''}`;
    return `v${v.version}  sealed by ${t(v.sealedBy)} at ${v.sealedAt}  ${v.itemCount} item(s)  ${t(v.packageName)}  ${v.tagManifestSha256}${review}${reopened}`;
  });
  return `${lines.join('\n')}\n`;
}

function describeDiff(d: VersionDiff): string {
  const t = escapeForTerminal;
  const lines = [
    d.previousVersion === null
      ? `${t(d.caseNumber)} version ${d.version}: the first sealed version`
      : `${t(d.caseNumber)} version ${d.version} against version ${d.previousVersion}`,
  ];
  for (const i of d.itemsAdded) lines.push(`+ item  ${i.sha256.slice(0, 12)}  ${t(i.originalName)}`);
  for (const i of d.itemsRemoved) lines.push(`- item  ${i.sha256.slice(0, 12)}  ${t(i.originalName)}`);
  for (const tag of d.tagsAdded)
    lines.push(`+ tag   ${t(tag.code)} on ${t(tag.itemName)}${tag.note ? `: ${t(tag.note)}` : ''}`);
  for (const tag of d.tagsRemoved) lines.push(`- tag   ${t(tag.code)} on ${t(tag.itemName)}`);
  for (const c of d.tagsChanged)
    lines.push(`~ tag   ${t(c.after.code)} on ${t(c.after.itemName)} (${c.fields.join(', ')} changed)`);
  for (const [field, change] of Object.entries(d.fields))
    if (change) lines.push(`~ ${field}: ${t(JSON.stringify(change.before))} -> ${t(JSON.stringify(change.after))}`);
  if (lines.length === 1) lines.push('no changes');
  return `${lines.join('\n')}\n`;
}
