import { runProcess } from '../../src/core/media/tools/runProcess';

/**
 * exiftool as the independent oracle of what a file says (never used by the station itself).
 * `-G1` names each tag's group (`Track1`, `GoPro`, `H264`, `Keys`), `-a` keeps duplicates across
 * groups; `numeric` turns off exiftool's print conversions (durations in seconds, raw codes).
 */
export async function readWithExiftool(file: string, numeric = false): Promise<Record<string, unknown>> {
  const args = ['-j', '-G1', '-a', ...(numeric ? ['-n'] : []), file];
  const { stdout } = await runProcess('exiftool', args, { collectStdout: true, timeoutMs: 60_000 });
  const [tags] = JSON.parse(stdout) as Record<string, unknown>[];
  if (!tags) throw new Error(`exiftool said nothing about ${file}`);
  return tags;
}

/** The exiftool group (`Track1`, `Track2`, …) of the first track whose handler is `handler` (`vide`, `soun`). */
export function trackGroupOf(numericTags: Record<string, unknown>, handler: string): string {
  const key = Object.keys(numericTags).find((k) => /^Track\d+:HandlerType$/.test(k) && numericTags[k] === handler);
  if (!key) throw new Error(`exiftool lists no ${handler} track`);
  return key.split(':')[0] ?? '';
}
