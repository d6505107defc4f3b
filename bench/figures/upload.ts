import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import { makeStationKeys } from '../../server/test/testStation';
import { enrolStation } from '../../server/upload/test/syncCalls';
import { tusSend } from '../../server/upload/test/tusClient';
import type { FigureContext } from '../lib/context';
import { writeRandomFile } from '../lib/files';
import { MIB, formatBytes, formatRate, formatRatio, formatSeconds } from '../lib/format';
import { verdictOf, type FigureReport } from '../lib/report';
import { runTimed, syncDisks } from '../lib/shell';
import { median, timeMs } from '../lib/stats';

const TARGET_RATIO = 0.7;
const SERVER_MEMORY_TARGET = 300 * 1000 * 1000;
const POLL_MS = 50;
export const UPLOAD_TITLE = 'Figure: upload of a large case file to the server (tus, signed) vs one curl PUT';

/** `BENCH_UPLOAD_MIB` sets the size (the figure is 2 GB: 2048); 512 MiB by default keeps the run short. */
export function uploadFileBytes(quick: boolean): number {
  const asked = Number(process.env.BENCH_UPLOAD_MIB);
  if (Number.isSafeInteger(asked) && asked > 0) return asked * MIB;
  return quick ? 32 * MIB : 512 * MIB;
}

/** The source, the server's upload and blob (linked, so one copy), and the baseline's copy. */
export function uploadNeedBytes(quick: boolean): number {
  return 4 * uploadFileBytes(quick) + 256 * MIB;
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

async function rssOf(pid: number): Promise<{ rss: number; hwm: number } | null> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => null);
  if (!text) return null;
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

function formatMB(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/**
 * One file, as the station sends it: tus-js-client (one PATCH for the whole file, every request
 * signed with a fresh nonce) to the real server process on loopback (PGlite), which streams it to
 * disk, hashes it on a worker, fsyncs and links it into the blob store before it answers. Against
 * `curl -T` of the same bytes to a minimal Node server that streams them to a file and fsyncs.
 * Alternating runs; the server's resident memory is polled throughout.
 */
export async function runUpload(ctx: FigureContext): Promise<FigureReport> {
  const startLoad = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const size = uploadFileBytes(ctx.quick);
  const runs = ctx.quick ? 1 : 3;
  const source = join(ctx.dir, 'case-file.bin');
  ctx.say(`upload: writing ${formatBytes(size)} of random bytes`);
  await writeRandomFile(source, size);
  const sha256 = await sha256File(source);
  const serverDir = join(ctx.dir, 'server');
  const putDir = join(ctx.dir, 'put');
  await mkdir(putDir, { recursive: true });
  await syncDisks();

  let server: ServerProcess | null = null;
  const plain = await startPlainPutServer(putDir);
  try {
    ctx.say('upload: starting the server and enrolling a station');
    server = await startServerProcess(serverDir, {});
    const station = makeStationKeys('bench-station');
    await enrolStation(server.url, serverDir, {}, station);
    // The first start creates the embedded database, which leaves PGlite with far more memory
    // than any later start: measured from a second start, as a server runs day to day.
    const firstStartRss = (await rssOf(server.child.pid!))?.hwm ?? 0;
    await server.stop();
    server = await startServerProcess(serverDir, {});
    const url = server.url;
    const pid = server.child.pid!;
    const readyRss = (await rssOf(pid))?.rss ?? 0;
    let peakRss = readyRss;
    const poll = setInterval(() => {
      void rssOf(pid).then((m) => {
        if (m) peakRss = Math.max(peakRss, m.rss);
      });
    }, POLL_MS);

    const baseline = (): Promise<{ ms: number }> =>
      runTimed('curl', ['-sS', '-f', '-o', '/dev/null', '-T', source, `${plain.url}/case-file.bin`]);
    const ours = async (run: number): Promise<number> => {
      const { ms, value } = await timeMs(() =>
        tusSend(url, station, { path: source, sha256, size, name: `data/originals/run-${run}.bin` }),
      );
      if (value.failedStatus !== null) throw new Error(`the upload failed: ${value.failedStatus} ${value.failedBody}`);
      return ms;
    };
    const baselineMs: number[] = [];
    const uploadMs: number[] = [];
    try {
      ctx.say('upload: warm-up round (untimed)');
      await baseline();
      await ours(0);
      for (let i = 0; i < runs; i++) {
        ctx.say(`upload: run ${i + 1}/${runs}`);
        baselineMs.push((await baseline()).ms);
        uploadMs.push(await ours(i + 1));
      }
    } finally {
      clearInterval(poll);
    }
    const hwm = (await rssOf(pid))?.hwm ?? 0;
    const base = median(baselineMs);
    const up = median(uploadMs);
    // Throughput ratio: the same bytes, so the inverse of the time ratio.
    const ratio = base / up;
    return {
      id: 'upload',
      title: UPLOAD_TITLE,
      rows: [
        {
          measure: `baseline: curl -T to a minimal Node server (stream to file, fsync), median of ${runs}`,
          target: '—',
          measured: `${formatSeconds(base)} (${formatRate(size, base)})`,
          ratio: '—',
          verdict: 'INFO',
        },
        {
          measure: `tus upload, signed, hashed, fsynced, in the blob store; median of ${runs}`,
          target: '—',
          measured: `${formatSeconds(up)} (${formatRate(size, up)})`,
          ratio: '—',
          verdict: 'INFO',
        },
        {
          measure: 'upload throughput / curl PUT throughput',
          target: `≥ ${formatRatio(TARGET_RATIO)}`,
          measured: formatRatio(ratio),
          ratio: `${(ratio / TARGET_RATIO).toFixed(2)} of target`,
          verdict: verdictOf(TARGET_RATIO, ratio, 'atMost'),
        },
        {
          measure: 'server resident memory, highest while receiving (polled)',
          target: `< ${formatMB(SERVER_MEMORY_TARGET)}`,
          measured: formatMB(peakRss),
          ratio: formatRatio(peakRss / SERVER_MEMORY_TARGET),
          verdict: verdictOf(peakRss, SERVER_MEMORY_TARGET, 'below'),
        },
        {
          measure: 'server memory growth while receiving (peak minus at rest)',
          target: '—',
          measured: formatMB(peakRss - readyRss),
          ratio: '—',
          verdict: 'INFO',
        },
        {
          measure: 'server memory high-water mark since its start (VmHWM)',
          target: '—',
          measured: formatMB(hwm),
          ratio: '—',
          verdict: 'INFO',
        },
      ],
      tables: [
        {
          title: 'Runs (alternating, curl first)',
          headers: ['Run', 'curl PUT', 'tus upload', 'throughput ratio'],
          rows: baselineMs.map((b, i) => [
            String(i + 1),
            formatSeconds(b),
            formatSeconds(uploadMs[i]!),
            formatRatio(b / uploadMs[i]!),
          ]),
        },
      ],
      notes: [
        `One file of ${formatBytes(size)} of random bytes (BENCH_UPLOAD_MIB=2048 for the issue's 2 GB), over loopback; the client runs in the bench process, the server is its own process (PGlite in its data folder).`,
        'The upload is timed from the creation request to the answer to the last PATCH, which the server sends after it has hashed the file on a worker thread, fsynced it and linked it into DIR/blobs/; each request first fetches a nonce (POST /api/v1/nonce) and carries an Ed25519 signature. The baseline streams the body to a file and fsyncs it before answering; it neither hashes nor signs.',
        `Server memory at rest (second start, database made): ${formatMB(readyRss)}, of which PGlite (PostgreSQL in WebAssembly, in the server's process) holds most; the first start, which creates the database, peaked at ${formatMB(firstStartRss)}. Polled every ${POLL_MS} ms while uploading. With DATABASE_URL (PostgreSQL in its own processes) the server's own share is what remains.`,
        `Load average at the start: ${startLoad} (2 cores). Spread: curl ${formatSeconds(Math.min(...baselineMs))}–${formatSeconds(Math.max(...baselineMs))}, tus ${formatSeconds(Math.min(...uploadMs))}–${formatSeconds(Math.max(...uploadMs))}.`,
      ],
      data: { size, baselineMs, uploadMs, ratio, readyRss, peakRss, hwm, firstStartRss },
    };
  } finally {
    await server?.stop();
    await new Promise<void>((resolve) => plain.server.close(() => resolve()));
  }
}
