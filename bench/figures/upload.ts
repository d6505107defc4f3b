import { createWriteStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SYNC_DEFAULTS } from '../../src/core/sync/syncWorker';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../../server/test/postgresCluster';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import type { FigureContext } from '../lib/context';
import { writeRandomFile } from '../lib/files';
import { MIB, formatBytes, formatRate, formatRatio, formatSeconds } from '../lib/format';
import { startPatchCountingProxy } from '../lib/patchCountingProxy';
import { verdictOf, type FigureReport, type Row } from '../lib/report';
import { runTimed, syncDisks } from '../lib/shell';
import { median } from '../lib/stats';
import { RssPoller, UploadStation, rssOf, type StationCase, type SyncedAnswer } from '../lib/uploadStation';

const TARGET_RATIO = 0.7;
const MEMORY_TARGET = 300 * 1000 * 1000;
const POLL_MS = 50;
const WARM_UP_BYTES = 32 * MIB;
export const UPLOAD_TITLE =
  'Figure: a station syncs a sealed, approved case of one large file to the server (tus, signed) vs one curl PUT';

/** `BENCH_UPLOAD_MIB` sets the size (the figure is 2 GB: 2048); 512 MiB by default keeps the run short. */
export function uploadFileBytes(quick: boolean): number {
  const asked = Number(process.env.BENCH_UPLOAD_MIB);
  if (Number.isSafeInteger(asked) && asked > 0) return asked * MIB;
  return quick ? 32 * MIB : 512 * MIB;
}

function timedRuns(quick: boolean): number {
  return quick ? 1 : 3;
}

/**
 * Each timed run and the cut run send a file of their own (the server holds a file once, so the
 * same bytes would not be sent twice): its source (removed once imported), the station's copy (the
 * package links it), the server's upload (linked into its blob store), the baseline's copy.
 */
export function uploadNeedBytes(quick: boolean): number {
  return (timedRuns(quick) + 1) * 3 * uploadFileBytes(quick) + uploadFileBytes(quick) + 512 * MIB;
}

/**
 * The baseline: a minimal Node server that streams one PUT body to a file and fsyncs it before it
 * answers, as the tus server's upload ends with the file fsynced (and hashed) before its answer.
 */
async function startPlainPutServer(dir: string): Promise<{ url: string; server: Server }> {
  let n = 0;
  const server = createServer((req, res) => {
    const path = join(dir, `put-${++n}.bin`);
    void (async () => {
      await pipeline(req, createWriteStream(path));
      const handle = await open(path, 'r');
      await handle.sync();
      await handle.close();
      res.writeHead(201, { 'Content-Length': 0 });
      res.end();
      await rm(path, { force: true });
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A small seeded generator (mulberry32), so the cut's place is printed and can be asked for again. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cutSeed(): number {
  const asked = Number(process.env.BENCH_UPLOAD_SEED);
  return Number.isSafeInteger(asked) && asked >= 0 ? asked : Math.floor(Math.random() * 2 ** 31);
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

async function enrolCode(dataDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  const r = await runServerCommand(['enrol-code', '--data', dataDir], env);
  if (r.code !== 0) throw new Error(`enrol-code failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

function memoryRow(measure: string, peak: number, extra = ''): Row {
  return {
    measure,
    target: `< ${formatMB(MEMORY_TARGET)}`,
    measured: `${formatMB(peak)}${extra}`,
    ratio: formatRatio(peak / MEMORY_TARGET),
    verdict: verdictOf(peak, MEMORY_TARGET, 'below'),
  };
}

/** The profile of one run: each phase's length in seconds, "—" where a mark was not seen. */
function phaseRow(run: number, s: SyncedAnswer): string[] {
  const { firstByte, fileDone, allFilesDone } = s.marks;
  const span = (from: number | null, to: number | null): string =>
    from === null || to === null ? '—' : formatSeconds(to - from);
  return [
    String(run),
    span(0, firstByte),
    span(firstByte, fileDone),
    span(fileDone, allFilesDone),
    span(allFilesDone, s.ms),
  ];
}

interface CutResult {
  database: 'PostgreSQL' | 'PGlite';
  seed: number;
  cutAt: number;
  answer: SyncedAnswer;
  patchBodyBytes: number;
  allBytes: number;
  patchRequests: number;
  cuts: number;
  stationPeak: number;
  serverPeak: number;
}

/**
 * The cut: a second station, with a file of its own, enrolled through a proxy that cuts every
 * connection once when the PATCH bodies it has forwarded reach a random byte of the file; the
 * station retries at once ("sync now") and resumes where the server says it stopped. On PostgreSQL
 * when there is one (the server process's own memory, without PGlite inside it), else on PGlite.
 */
async function runCut(
  ctx: FigureContext,
  station: UploadStation,
  file: StationCase,
  server: { url: string; pid: number; dataDir: string; env: NodeJS.ProcessEnv; database: CutResult['database'] },
): Promise<CutResult> {
  const proxy = await startPatchCountingProxy(server.url);
  try {
    const seed = cutSeed();
    const cutAt = Math.floor(seededRandom(seed)() * file.size);
    ctx.say(`upload: cut at byte ${cutAt} of ${file.size} (seed ${seed}), server on ${server.database}`);
    await station.enrol(proxy.url, await enrolCode(server.dataDir, server.env));
    proxy.cutAtPatchByte(cutAt);
    const poller = new RssPoller([station.pid, server.pid], POLL_MS);
    poller.start();
    let answer: SyncedAnswer;
    try {
      answer = await station.sync(0);
    } finally {
      poller.stop();
    }
    const counts = proxy.counts();
    if (counts.failure !== null) throw new Error(`the proxy could not count the requests: ${counts.failure}`);
    // Without a cut the row would say nothing about resuming.
    if (counts.cuts !== 1) throw new Error(`the proxy cut ${counts.cuts} times, not once, at byte ${cutAt}`);
    return {
      database: server.database,
      seed,
      cutAt,
      answer,
      ...counts,
      stationPeak: Math.max(poller.peak(station.pid), answer.peakRssBytes ?? 0),
      serverPeak: poller.peak(server.pid),
    };
  } finally {
    await proxy.close();
  }
}

/**
 * A station (its own process, its sync worker in it) holds sealed cases of one random file each;
 * the supervisor approves one (untimed) and the station syncs it to the real server process on
 * loopback (PGlite): asks what the server holds, uploads with tus (one signed PATCH per chunk,
 * each with a fresh nonce), the server hashes the finished file on a worker, fsyncs it and links
 * it into its blob store, then the station commits and checks and stores the signed receipt. Timed
 * from "sync now" to the stored receipt, against `curl -T` of the same file to a minimal Node
 * server that streams it to a file and fsyncs. Alternating runs; both processes' resident memory
 * polled throughout. Then one more case through a proxy that cuts the connection once.
 */
export async function runUpload(ctx: FigureContext): Promise<FigureReport> {
  const startLoad = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const size = uploadFileBytes(ctx.quick);
  const runs = timedRuns(ctx.quick);
  const sourceDir = join(ctx.dir, 'source');
  const putDir = join(ctx.dir, 'put');
  await mkdir(sourceDir, { recursive: true });
  await mkdir(putDir, { recursive: true });
  ctx.say(`upload: writing ${runs + 1} files of ${formatBytes(size)} of random bytes`);
  const warmUp = join(sourceDir, 'warm-up.bin');
  await writeRandomFile(warmUp, WARM_UP_BYTES);
  const sources = [warmUp];
  for (let i = 1; i <= runs; i++) {
    sources.push(join(sourceDir, `case-${i}.bin`));
    await writeRandomFile(sources[i]!, size);
  }
  const cutSource = join(sourceDir, 'cut.bin');
  await writeRandomFile(cutSource, size);

  const stations: UploadStation[] = [];
  const servers: ServerProcess[] = [];
  let cluster: PostgresCluster | null = null;
  const plain = await startPlainPutServer(putDir);
  try {
    ctx.say('upload: importing and sealing (untimed)');
    const main = await UploadStation.open(join(ctx.dir, 'station'), sources);
    stations.push(main.station);
    const cutSide = await UploadStation.open(join(ctx.dir, 'station-cut'), [cutSource]);
    stations.push(cutSide.station);
    // The stations hold verified copies; the sources only take disk space now.
    await rm(sourceDir, { recursive: true, force: true });
    await syncDisks();

    ctx.say('upload: starting the server and enrolling the station');
    const serverDir = join(ctx.dir, 'server');
    let server = await startServerProcess(serverDir, {});
    // The first start creates the embedded database, which leaves PGlite with more memory than
    // any later start: measured from a second start, as a server runs day to day.
    const firstStartHwm = (await rssOf(server.child.pid!))?.hwm ?? 0;
    await server.stop();
    server = await startServerProcess(serverDir, {});
    servers.push(server);
    const serverPid = server.child.pid!;
    const serverReadyRss = (await rssOf(serverPid))?.rss ?? 0;
    await main.station.enrol(server.url, await enrolCode(serverDir, {}));

    const baseline = (file: string): Promise<{ ms: number }> =>
      runTimed('curl', ['-sS', '-f', '-o', '/dev/null', '-T', file, `${plain.url}/case-file.bin`]);
    // The server is watched from the warm-up on; the station from the first timed run: the warm-up
    // follows the import and seal of every case of the figure in one go, whose leftovers (not yet
    // collected) are the import's and the seal's memory, not the upload's. Its figures are in the notes.
    const serverPoller = new RssPoller([serverPid], POLL_MS);
    const stationPoller = new RssPoller([main.station.pid], POLL_MS);
    const baselineMs: number[] = [];
    const synced: SyncedAnswer[] = [];
    let warmUp: SyncedAnswer;
    serverPoller.start();
    try {
      ctx.say('upload: warm-up round (untimed)');
      await baseline(main.cases[0]!.packageFile);
      warmUp = await main.station.sync(0);
      stationPoller.start();
      for (let i = 1; i <= runs; i++) {
        ctx.say(`upload: run ${i}/${runs}`);
        baselineMs.push((await baseline(main.cases[i]!.packageFile)).ms);
        const answer = await main.station.sync(i);
        if (answer.bytesSent < size) throw new Error(`run ${i} sent ${answer.bytesSent} of ${size} bytes`);
        synced.push(answer);
      }
    } finally {
      serverPoller.stop();
      stationPoller.stop();
    }
    const serverHwm = (await rssOf(serverPid))?.hwm ?? 0;
    const stationPeak = Math.max(stationPoller.peak(main.station.pid), ...synced.map((s) => s.peakRssBytes ?? 0));
    const serverPeak = serverPoller.peak(serverPid);
    await main.station.close();

    const skip = postgresSkipReason();
    let cut: CutResult;
    if (skip) {
      cut = await runCut(ctx, cutSide.station, cutSide.cases[0]!, {
        url: server.url,
        pid: serverPid,
        dataDir: serverDir,
        env: {},
        database: 'PGlite',
      });
    } else {
      await server.stop();
      cluster = await startPostgresCluster();
      const env = { DATABASE_URL: await cluster.createDatabase() };
      const pgDir = join(ctx.dir, 'server-postgres');
      const pgServer = await startServerProcess(pgDir, env);
      servers.push(pgServer);
      cut = await runCut(ctx, cutSide.station, cutSide.cases[0]!, {
        url: pgServer.url,
        pid: pgServer.child.pid!,
        dataDir: pgDir,
        env,
        database: 'PostgreSQL',
      });
    }
    await cutSide.station.close();

    const uploadMs = synced.map((s) => s.ms);
    const base = median(baselineMs);
    const up = median(uploadMs);
    // The same bytes, so the throughput ratio is the inverse of the time ratio.
    const ratio = base / up;
    const askedChunk = Number(process.env.BENCH_UPLOAD_CHUNK_MIB);
    const chunk = Number.isSafeInteger(askedChunk) && askedChunk > 0 ? askedChunk * MIB : SYNC_DEFAULTS.chunkSize;
    const sentAgain = cut.patchBodyBytes - cut.answer.uploadedBytes;
    const rows: Row[] = [
      {
        measure: `baseline: curl -T to a minimal Node server (stream to file, fsync), median of ${runs}`,
        target: '—',
        measured: `${formatSeconds(base)} (${formatRate(size, base)})`,
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: `station sync, "sync now" to the receipt stored (have, tus, hash, commit), median of ${runs}`,
        target: '—',
        measured: `${formatSeconds(up)} (${formatRate(size, up)})`,
        ratio: '—',
        verdict: 'INFO',
      },
      {
        measure: 'station sync throughput / curl PUT throughput',
        target: `≥ ${formatRatio(TARGET_RATIO)}`,
        measured: formatRatio(ratio),
        ratio: `${(ratio / TARGET_RATIO).toFixed(2)} of target`,
        verdict: verdictOf(TARGET_RATIO, ratio, 'atMost'),
      },
      {
        measure: `file bytes sent again after one cut at a random byte (seed ${cut.seed}), PATCH bodies only`,
        target: `≤ 1 chunk (${formatBytes(chunk)})`,
        measured: formatBytes(Math.max(0, sentAgain)),
        ratio: formatRatio(sentAgain / chunk),
        verdict: verdictOf(sentAgain, chunk, 'atMost'),
      },
      memoryRow(
        'station process (engine, sync worker) resident memory, highest from the first timed run on',
        Math.max(stationPeak, cut.stationPeak),
        ` (timed runs ${formatMB(stationPeak)}, cut ${formatMB(cut.stationPeak)})`,
      ),
      memoryRow(
        'server resident memory on PGlite (the default), highest while receiving (polled)',
        serverPeak,
        ` (at rest ${formatMB(serverReadyRss)})`,
      ),
      cut.database === 'PostgreSQL'
        ? memoryRow(
            'server resident memory on PostgreSQL (DATABASE_URL), highest while receiving the cut file',
            cut.serverPeak,
          )
        : {
            measure: 'server resident memory on PostgreSQL',
            target: `< ${formatMB(MEMORY_TARGET)}`,
            measured: '—',
            ratio: '—',
            verdict: 'SKIP',
          },
    ];
    return {
      id: 'upload',
      title: UPLOAD_TITLE,
      rows,
      tables: [
        {
          title: 'Runs (alternating, curl first)',
          headers: [
            'Run',
            'curl PUT',
            'station sync',
            'throughput ratio',
            'station CPU',
            'station RSS at start',
            'station peak RSS',
          ],
          rows: baselineMs.map((b, i) => [
            String(i + 1),
            formatSeconds(b),
            formatSeconds(uploadMs[i]!),
            formatRatio(b / uploadMs[i]!),
            formatSeconds(synced[i]!.cpuMs),
            formatMB(synced[i]!.startRssBytes),
            synced[i]!.peakRssBytes === null ? '—' : formatMB(synced[i]!.peakRssBytes!),
          ]),
        },
        {
          title: `Where the station's time goes (sync status polled every 100 ms in the station; seconds from "sync now")`,
          headers: [
            'Run',
            'before its first byte',
            'the file, to the answer to its last PATCH',
            'the other files after it',
            'commit and receipt',
          ],
          rows: synced.map((s, i) => phaseRow(i + 1, s)),
        },
        {
          title: `The cut (server on ${cut.database})`,
          headers: ['Cut at byte', 'PATCH body bytes forwarded', 'sent again', 'PATCH requests', 'passes', 'time'],
          rows: [
            [
              `${cut.cutAt} of ${size}`,
              String(cut.patchBodyBytes),
              `${sentAgain} (${formatBytes(Math.max(0, sentAgain))})`,
              String(cut.patchRequests),
              String(cut.answer.passes),
              formatSeconds(cut.answer.ms),
            ],
          ],
        },
      ],
      notes: [
        `One file of ${formatBytes(size)} of random bytes per case (BENCH_UPLOAD_MIB=2048 for the issue's 2 GB), over loopback. The station is its own process (bench/uploadChild.ts: the engine as the app runs it, its sync worker in it, ${chunk === SYNC_DEFAULTS.chunkSize ? 'default tuning' : 'BENCH_UPLOAD_CHUNK_MIB'}: ${formatBytes(chunk)} per PATCH); the server is its own process (PGlite in its data folder). Import, seal and approval are untimed; a warm-up case of ${formatBytes(WARM_UP_BYTES)} goes first.`,
        'Profile: "before its first byte" holds the question which files the server has and the package\'s tag files sent before the evidence file; "the file" runs to the server\'s answer to its last PATCH, sent once it has every byte, fsynced, hashed and linked (tus-js-client reports progress at most every 100 ms and not the last bytes of a request, so the end of the sending cannot be told apart from that answer); "the other files" are the package\'s tag files and report after it, each its own tus upload.',
        "Timed from `sync.now` to its answer, which comes once the version is synced: the station asked which hashes the server holds, uploaded the file (a nonce and an Ed25519 signature per request), the server hashed it on a worker thread, fsynced it and linked it into DIR/blobs/, and the station committed and checked and stored the signed receipt. The baseline streams the body to a file and fsyncs it before answering; it neither hashes nor signs. curl reads the package's copy of the same file.",
        `The cut: a proxy between a second station and the server reads the requests' heads and lengths and counts the PATCH body bytes it forwards (heads and other requests excluded: ${formatBytes(cut.allBytes - cut.patchBodyBytes)} of them went up); it cut every connection once when those reached byte ${cut.cutAt}, a random byte of the file's size (the package's files go up in path order, so two tag files of a few hundred bytes come before the evidence file; seed ${cut.seed}; BENCH_UPLOAD_SEED=${cut.seed} repeats it). "Sent again" is the PATCH body bytes forwarded minus the bytes of the package's ${cut.answer.packageFiles} files uploaded (${cut.answer.uploadedBytes}: the evidence file and the package's tag files and report). Connections cut: ${cut.cuts}.`,
        `Memory polled every ${POLL_MS} ms (VmRSS) while syncing, and the station's own VmHWM from the start of each sync: the server from the warm-up on, the station from the first timed run on, between the syncs too (the approvals, the status reads), and over the cut (the second station, which imported and sealed its one file and then waited). The main station imported and sealed all ${runs + 1} cases at once before the warm-up, which began at ${formatMB(warmUp.startRssBytes)} and peaked at ${formatMB(warmUp.peakRssBytes ?? 0)} (not in the row). The cut station began its sync at ${formatMB(cut.answer.startRssBytes)}. Server at rest on PGlite (second start): ${formatMB(serverReadyRss)}; the first start, which creates the database, peaked at ${formatMB(firstStartHwm)}; high-water mark after the runs ${formatMB(serverHwm)}. On PostgreSQL the database's processes are not the server's.`,
        `Load average at the start: ${startLoad} (2 cores). Spread: curl ${formatSeconds(Math.min(...baselineMs))}–${formatSeconds(Math.max(...baselineMs))}, station ${formatSeconds(Math.min(...uploadMs))}–${formatSeconds(Math.max(...uploadMs))}.`,
      ],
      data: {
        size,
        chunk,
        baselineMs,
        synced,
        ratio,
        serverReadyRss,
        serverPeak,
        serverHwm,
        firstStartHwm,
        stationPeak,
        warmUp,
        cut,
      },
    };
  } finally {
    for (const s of stations) await s.close().catch(() => undefined);
    for (const s of servers) await s.stop().catch(() => undefined);
    await cluster?.stop();
    await new Promise<void>((resolve) => plain.server.close(() => resolve()));
  }
}
