/**
 * `--offset -3m12s`: Node's parser takes a value starting with a dash for an option, so the two
 * options whose values may start with one are joined to their value first (`--offset=-3m12s`).
 */
export function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if ((arg === '--offset' || arg === '--zone') && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
