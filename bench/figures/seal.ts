import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FigureContext } from '../lib/context';
import { removeTree, writeRandomFile } from '../lib/files';
import { GIB, MIB, formatBytes, formatRatio, formatSeconds } from '../lib/format';
import { runsTable, verdictOf, type FigureReport } from '../lib/report';
import { ddFlagsFor, runTimed, shellQuote, syncDisks } from '../lib/shell';
import { median } from '../lib/stats';

const TARGET_RATIO = 0.5;
const RSS_LIMIT_BYTES = 300 * 1024 * 1024;
export const SEAL_TITLE =
  'Figure: seal + folder export of a 1 GB case (read-back included) vs cp -r + sync + sha256sum (dd iflag=direct)';
const CHILD = fileURLToPath(new URL('../sealChild.ts', import.meta.url));

function caseFiles(quick: boolean): number[] {
  return quick ? [48 * MIB, 16 * MIB] : [768 * MIB, 256 * MIB];
}

/** Source, the station's copy, the sealed package, the export and the baseline's copy, plus margin. */
export function sealNeedBytes(quick: boolean): number {
  return 5 * caseFiles(quick).reduce((a, b) => a + b, 0) + GIB;
}

interface ChildDone {
  ms: number;
  sealMs: number;
  exportMs: number;
  exportCopyMs: number;
  exportVerifyMs: number;
  sealCpuMs: number;
  exportCpuMs: number;
  bytes: number;
  maxRssBytes: number;
  /** VmHWM over the seal and export alone; null where it cannot be reset (not Linux). */
  sealExportPeakBytes: number | null;
}

function runChild(dataDir: string, source: string, to: string): Promise<ChildDone> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, '--data', dataDir, '--source', source, '--to', to],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`seal child exited with ${code}: ${stderr.trim()}`));
      const done = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.event === 'done');
      if (!done) return reject(new Error(`seal child reported no result: ${stderr.trim()}`));
      resolve(done as unknown as ChildDone);
    });
  });
}

export async function runSeal(ctx: FigureContext): Promise<FigureReport> {
  const sizes = caseFiles(ctx.quick);
  const total = sizes.reduce((a, b) => a + b, 0);
  const runs = ctx.quick ? 1 : 3;
  const source = join(ctx.dir, 'source');
  await mkdir(source, { recursive: true });
  ctx.say(`seal: writing ${formatBytes(total)} of random bytes in ${sizes.length} files`);
  for (const [i, size] of sizes.entries()) await writeRandomFile(join(source, `evidence-${i + 1}.bin`), size);
  await syncDisks();

  const dd = await ddFlagsFor(ctx.dir);
  const copy = join(ctx.dir, 'baseline-copy');
  const baselineScript = [
    `cp -r ${shellQuote(source)} ${shellQuote(copy)}`,
    'sync',
    `for f in ${shellQuote(copy)}/*; do dd if="$f" ${dd.iflag} bs=4M status=none | sha256sum; done`,
  ].join(' && ');
  // What the disk itself allows for the transfers the seal and a verified export cannot skip:
  // the seal reads every stored byte from the disk, and the export writes the copy past the page
  // cache while reading as many bytes back from the medium; no hashing, no engine.
  const floorCopy = join(ctx.dir, 'floor-copy');
  const each = (body: string): string => `for f in ${shellQuote(source)}/*; do ${body}; done`;
  const floorScript = [
    each(`dd if="$f" of=/dev/null bs=16M ${dd.iflag} status=none`),
    `mkdir ${shellQuote(floorCopy)}`,
    `( ${each(`dd if="$f" of=${shellQuote(floorCopy)}/"$(basename "$f")" bs=16M ${dd.oflag} conv=fsync status=none`)} & ` +
      `${each(`dd if="$f" of=/dev/null bs=16M ${dd.iflag} status=none`)}; wait )`,
  ].join(' && ');
  const baselineMs: number[] = [];
  const floorMs: number[] = [];
  const sealRuns: ChildDone[] = [];
  for (let i = 0; i < runs; i++) {
    ctx.say(`seal: run ${i + 1}/${runs}: baseline`);
    baselineMs.push((await runTimed('sh', ['-c', baselineScript])).ms);
    await removeTree(copy);
    await syncDisks();
    floorMs.push((await runTimed('sh', ['-c', floorScript])).ms);
    await removeTree(floorCopy);
    await syncDisks();
    ctx.say(`seal: run ${i + 1}/${runs}: station (import untimed, then seal + export timed)`);
    const dataDir = join(ctx.dir, `station-${i}`);
    const to = join(ctx.dir, `medium-${i}`);
    await mkdir(to, { recursive: true });
    sealRuns.push(await runChild(dataDir, source, to));
    await removeTree(to);
    await removeTree(dataDir);
    await syncDisks();
  }
  await removeTree(source);

  const base = median(baselineMs);
  const stationMs = sealRuns.map((r) => r.ms);
  const ours = median(stationMs);
  const ratio = ours / base;
  const floor = median(floorMs);
  const peakWithImport = Math.max(...sealRuns.map((r) => r.maxRssBytes));
  const measuredPeaks = sealRuns.map((r) => r.sealExportPeakBytes);
  // The issue's limit is for the seal and export; where their own peak cannot be read, the
  // process's whole peak (import included) stands in for it, an upper bound.
  const peakOwn = measuredPeaks.every((p): p is number => p !== null);
  const peak = peakOwn ? Math.max(...measuredPeaks) : peakWithImport;
  return {
    id: 'seal',
    title: SEAL_TITLE,
    rows: [
      {
        measure: `baseline: cp -r, sync, dd iflag=direct | sha256sum, median of ${runs}`,
        target: '—',
        measured: formatSeconds(base),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `device floor: dd iflag=direct read of the case, then dd oflag=direct write of it ∥ dd iflag=direct read of as many bytes, median of ${runs}`,
        target: '—',
        measured: formatSeconds(floor),
        ratio: `ours / this: ${formatRatio(ours / floor)}; this / baseline: ${formatRatio(floor / base)}`,
        verdict: 'INFO',
      },
      {
        measure: `seal + folder export (verified), median of ${runs}`,
        target: '—',
        measured: formatSeconds(ours),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: '  of which seal (re-hash in place, report rendered beside it, sign, commit)',
        target: '—',
        measured: formatSeconds(median(sealRuns.map((r) => r.sealMs))),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: '  of which export (free space, copy, fsync, direct read-back verify, rename)',
        target: '—',
        measured: formatSeconds(median(sealRuns.map((r) => r.exportMs))),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: '    copy: direct writes, each slice read back (direct I/O) and hashed as the next is written',
        target: '—',
        measured: formatSeconds(median(sealRuns.map((r) => r.exportCopyMs))),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: '    then: rest of the read-back, verify (manifests, signature), rename, fsync',
        target: '—',
        measured: formatSeconds(median(sealRuns.map((r) => r.exportVerifyMs))),
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: '  CPU time of the engine (all threads, user + system): seal / export',
        target: '—',
        measured: `${formatSeconds(median(sealRuns.map((r) => r.sealCpuMs)))} / ${formatSeconds(median(sealRuns.map((r) => r.exportCpuMs)))}`,
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'seal + export / baseline',
        target: `≤ ${formatRatio(TARGET_RATIO)}`,
        measured: formatRatio(ratio),
        ratio: `${(ratio / TARGET_RATIO).toFixed(2)} of target`,
        verdict: verdictOf(ratio, TARGET_RATIO, 'atMost'),
      },
      {
        measure: peakOwn
          ? 'peak RSS of the engine process during seal + export (VmHWM, reset when the clock starts)'
          : 'peak RSS of the engine process (maxRSS, import included)',
        target: `< ${formatBytes(RSS_LIMIT_BYTES)}`,
        measured: formatBytes(peak),
        ratio: `${(peak / RSS_LIMIT_BYTES).toFixed(2)} of limit`,
        verdict: verdictOf(peak, RSS_LIMIT_BYTES, 'below'),
      },
      ...(peakOwn
        ? [
            {
              measure: '  the same process over its whole run (maxRSS, the untimed import included)',
              target: '—',
              measured: formatBytes(peakWithImport),
              ratio: '—',
              verdict: 'INFO' as const,
            },
          ]
        : []),
    ],
    tables: [
      runsTable(baselineMs, stationMs, 'Seal + export'),
      {
        title: 'Device floor in each run (measured between the baseline and the station)',
        headers: ['Run', 'Device floor', 'Seal + export / floor', 'Floor / baseline'],
        rows: floorMs.map((f, i) => [
          String(i + 1),
          formatSeconds(f),
          formatRatio(stationMs[i]! / f),
          formatRatio(f / baselineMs[i]!),
        ]),
      },
    ],
    notes: [
      `Case: ${sizes.map(formatBytes).join(' + ')} of random bytes (.bin, imported with includeNonMedia); the import runs before the clock starts.`,
      'The seal hard-links every stored file into the package and re-hashes it there (two files on two hashing workers) while the report renders on the engine’s report worker (started warm when the engine opens, as the engine process does), then signs and commits.',
      'The export writes the package with direct I/O, flushing it in slices; a worker reads each flushed slice back from the medium with direct I/O and hashes it while the next is written. Those hashes, every file’s, go to the verification (manifests, tag manifest, signature), which reads nothing a second time; then the rename and its fsync.',
      'The baseline copies the source files with cp -r, syncs, and hashes the copy once, read with dd iflag=direct.',
      ...(dd.direct
        ? []
        : [
            `${ctx.dir}'s file system refuses direct I/O (tmpfs): the engine, the baseline and the floor use plain I/O, so every read comes from memory; this run shows the pipeline without a disk's limit, not the evidence rule's read from the device.`,
          ]),
      'The device floor is what the disk allows with no hashing and no engine: the seal has to read every stored byte from the disk, and a verified export has to write the copy past the page cache and read as many bytes back; the floor runs the read, then the other two at once. When the floor itself is near or above the target ratio, the disk, not the pipeline, sets the figure.',
      `Spread over the runs: baseline ${formatSeconds(Math.min(...baselineMs))}–${formatSeconds(Math.max(...baselineMs))}, device floor ${formatSeconds(Math.min(...floorMs))}–${formatSeconds(Math.max(...floorMs))}, seal + export ${formatSeconds(Math.min(...stationMs))}–${formatSeconds(Math.max(...stationMs))}.`,
    ],
    data: {
      bytes: total,
      runs,
      baselineMs,
      floorMs,
      floorMedianMs: floor,
      directIo: dd.direct,
      stationMs,
      sealRuns,
      ratio,
      peakRssBytes: peak,
      peakRssWithImportBytes: peakWithImport,
      target: { ratioAtMost: TARGET_RATIO, rssBelowBytes: RSS_LIMIT_BYTES },
      pass: ratio <= TARGET_RATIO && peak < RSS_LIMIT_BYTES,
    },
  };
}
