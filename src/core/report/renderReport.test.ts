import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { sampleCaseJson } from '../../../test/support/sampleCaseJson';
import { groupFingerprint, keyFingerprint } from '../keys/fingerprint';
import { renderReport } from './renderReport';
import { FINGERPRINT_CHECK, MANIFEST_CHECK, SIGNATURE_CHECK, TAG_MANIFEST_CHECK } from './verifyInstructions';

/**
 * The court report, checked the way a clerk or an expert would: with poppler's `pdffonts`,
 * `pdftotext` and `pdfinfo`, and the commands of its last page run with the real `sha256sum` and
 * `openssl` on real files.
 */

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SCREENSHOTS = path.join(ROOT, 'e2e', 'screenshots');

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('report-');
});
afterAll(async () => {
  await removeTree(dir);
});

async function savePdf(name: string, pdf: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, pdf);
  return file;
}

async function pageCount(file: string): Promise<number> {
  const { stdout } = await run('pdfinfo', [file]);
  return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1]);
}

async function pageText(file: string, page: number): Promise<string> {
  return (await run('pdftotext', ['-f', String(page), '-l', String(page), file, '-'])).stdout;
}

describe('report.pdf', () => {
  const input = sampleCaseJson();
  const fingerprint = groupFingerprint(input.caseJson.seal.keyFingerprint);
  let file: string;
  let pdf: Buffer;
  let html: string;

  beforeAll(async () => {
    ({ pdf, html } = await renderReport(input));
    file = await savePdf('report.pdf', pdf);
  });

  it('embeds every font it uses, as a subset, and uses none of the standard 14', async () => {
    const { stdout } = await run('pdffonts', [file]);
    const rows = stdout.trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      // name type encoding emb sub uni object ID: the three yes/no columns come before the object id.
      const [emb, sub, uni] = row.trim().split(/\s+/).slice(-5, -2);
      expect({ row, emb, sub, uni }).toEqual({ row, emb: 'yes', sub: 'yes', uni: 'yes' });
      expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-(Regular|Bold)\s/);
    }
  });

  it('gives back the Chinese text, the case and its evidence', async () => {
    const { stdout } = await run('pdftotext', [file, '-']);
    for (const expected of [
      '电子证据封存报告',
      input.caseJson.case.number,
      input.caseJson.case.title,
      input.caseJson.seal.office,
      '现场照片_占道经营_01.jpg',
      '占道经营',
      '如何验证此证据包',
      input.caseJson.items[1]?.sha256 ?? 'missing',
      '2026-03-16 14:05:09 +08:00',
    ]) {
      expect(stdout).toContain(expected);
    }
  });

  it('prints the case number, the page and the key fingerprint in every page footer', async () => {
    const pages = await pageCount(file);
    expect(pages).toBeGreaterThanOrEqual(3);
    for (let page = 1; page <= pages; page++) {
      const text = await pageText(file, page);
      expect(text).toContain(fingerprint);
      expect(text).toContain(`Page ${page} / ${pages}`);
      expect(text).toContain(input.caseJson.case.number);
    }
  });

  it('prints the openssl command, on one line, on the last page only', async () => {
    const pages = await pageCount(file);
    const last = await pageText(file, pages);
    expect(last.split('\n')).toContain(SIGNATURE_CHECK);
    for (const command of [
      MANIFEST_CHECK,
      TAG_MANIFEST_CHECK,
      FINGERPRINT_CHECK,
      'shasum -a 256 -c manifest-sha256.txt',
    ]) {
      expect(last.split('\n')).toContain(command);
    }
    expect(last).toContain('Get-FileHash -Algorithm SHA256');
    expect(last).toContain('Signature Verified Successfully');
    expect(last).toContain('OpenSSL 3.0');
    for (let page = 1; page < pages; page++) expect(await pageText(file, page)).not.toContain('openssl pkeyutl');
  });

  it('is A4, dated by the seal time, and titled by the case', async () => {
    const { stdout } = await run('pdfinfo', ['-isodates', file]);
    expect(stdout).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)/m);
    expect(stdout).toMatch(/^CreationDate:\s+2026-03-16T06:05:09(Z|\+00(:00)?)$/m);
    expect(stdout).toMatch(/^Title:\s+电子证据封存报告 ZF-2026-00012 v1$/m);
  });

  it('is the same bytes every time, whatever the host time zone or locale', async () => {
    const again = (await renderReport(sampleCaseJson())).pdf;
    expect(again.equals(pdf)).toBe(true);
    // A fresh process in another zone and locale: nothing may depend on the host.
    const script = path.join(dir, 'determinism.mts');
    const url = (relative: string): string => pathToFileURL(path.join(ROOT, relative)).href;
    await writeFile(
      script,
      [
        `import { createHash } from 'node:crypto';`,
        `import { renderReport } from '${url('src/core/report/renderReport.ts')}';`,
        `import { sampleCaseJson } from '${url('test/support/sampleCaseJson.ts')}';`,
        `const { pdf, html } = await renderReport(sampleCaseJson());`,
        `const sha = (data) => createHash('sha256').update(data).digest('hex');`,
        `console.log(sha(pdf), sha(html));`,
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'America/Los_Angeles', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
    });
    const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
    expect(stdout.trim()).toBe(`${sha(pdf)} ${sha(html)}`);
  });

  it('is semantic HTML: Chinese document, English marked, header cells scoped', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<span lang="en">Evidence items</span>');
    expect(html.match(/<th scope="col">/g)?.length).toBeGreaterThanOrEqual(24);
    expect(html).toContain('<th scope="row">');
    expect(html).toContain(SIGNATURE_CHECK);
    expect(html).toContain(fingerprint);
  });

  it('renders its first and last page for review', async () => {
    const pages = await pageCount(file);
    await mkdir(SCREENSHOTS, { recursive: true });
    await run('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      path.join(SCREENSHOTS, 'report-first'),
    ]);
    await run('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      String(pages),
      '-l',
      String(pages),
      '-singlefile',
      file,
      path.join(SCREENSHOTS, 'report-last'),
    ]);
    const { stdout } = await run('file', [
      path.join(SCREENSHOTS, 'report-first.png'),
      path.join(SCREENSHOTS, 'report-last.png'),
    ]);
    expect(stdout.match(/PNG image data/g)).toHaveLength(2);
  });
});

describe('hostile names', () => {
  const hostile = `<script>alert("x")</script>'&\u0007\u202Egpj.exe`;

  function hostileCase(): ReturnType<typeof sampleCaseJson> {
    const input = sampleCaseJson();
    const first = input.caseJson.items[0];
    if (!first) throw new Error('sample case has no items');
    first.originalName = hostile;
    first.deviceId = '<img src=x onerror=alert(1)>';
    input.caseJson.case.title = `标题 <b>"粗体"</b>`;
    input.caseJson.case.parties.push({ kind: 'person', name: `</td></tr></table><script>`, detail: '' });
    return input;
  }

  let hostilePdf: Buffer;
  let hostileHtml: string;
  beforeAll(async () => {
    ({ pdf: hostilePdf, html: hostileHtml } = await renderReport(hostileCase()));
  });

  it('escapes every string in report.html, which has no script and loads nothing', () => {
    const html = hostileHtml;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    // Every `<` of a name is escaped, so any tag left is our own: none may load or run anything.
    expect(html).not.toMatch(/<[^>]*\s(src|href|on\w+)=/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;[U+0007][U+202E]gpj.exe');
    expect(html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;');
    expect(html).toContain(`<title>电子证据封存报告 ZF-2026-00012 v1</title>`);
    expect(html).toContain(`default-src 'none'`);
    // eslint-disable-next-line no-control-regex
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u202A-\u202E\u2066-\u2069]/);
  });

  it('prints control and bidi characters of a name visibly in the PDF too', async () => {
    const pdf = hostilePdf;
    // -raw: in drawing order, so a cell's wrapped lines stay together.
    const text = (await run('pdftotext', ['-raw', await savePdf('hostile.pdf', pdf), '-'])).stdout;
    expect(text.replace(/\s/g, '')).toContain(`<script>alert("x")</script>'&[U+0007][U+202E]gpj.exe`);
  });

  it('cuts a name too long for any page and says where the whole of it is', async () => {
    const input = sampleCaseJson();
    const first = input.caseJson.items[0];
    if (!first) throw new Error('sample case has no items');
    first.originalName = '很长的文件名'.repeat(3000);
    const { pdf, html } = await renderReport(input);
    const text = (await run('pdftotext', [await savePdf('long.pdf', pdf), '-'])).stdout;
    expect(text.replace(/\s/g, '')).toContain('全文见report.html与case.json');
    expect(html).toContain('full text in report.html and case.json');
  });
});

describe('a large case', () => {
  it('paginates 200 items and 2,000 custody entries with the footer on every page', async () => {
    const input = sampleCaseJson({ extraItems: 194, custodyEntries: 2000 });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const { pdf, html } = await renderReport(input);
    const used = process.cpuUsage(cpu);
    console.log(
      `report of 200 items and 2,000 custody entries: ${Math.round(performance.now() - started)} ms wall, ` +
        `${Math.round((used.user + used.system) / 1000)} ms CPU, ${pdf.length} bytes of PDF, ${html.length} of HTML`,
    );
    const file = await savePdf('large.pdf', pdf);
    const pages = await pageCount(file);
    expect(pages).toBeGreaterThan(3);
    const fingerprint = groupFingerprint(input.caseJson.seal.keyFingerprint);
    for (const page of [1, 2, Math.floor(pages / 2), pages - 1, pages]) {
      const text = await pageText(file, page);
      expect(text).toContain(fingerprint);
      expect(text).toContain(`Page ${page} / ${pages}`);
    }
    const all = (await run('pdftotext', [file, '-'])).stdout;
    const last = input.custody[input.custody.length - 1];
    expect(all).toContain(last?.hash.slice(0, 12) ?? 'missing');
    expect((await pageText(file, pages)).split('\n')).toContain(SIGNATURE_CHECK);
  });
});

describe('the verify commands printed in the report', () => {
  it('work as printed with the real sha256sum and openssl on a signed folder', async () => {
    const bag = path.join(dir, 'ZF-2026-00012-v1');
    await mkdir(path.join(bag, 'data'), { recursive: true });
    await mkdir(path.join(bag, 'seal'), { recursive: true });
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const payload = Buffer.from('证据 evidence\n');
    await writeFile(path.join(bag, 'data', 'case.json'), payload);
    await writeFile(path.join(bag, 'seal', 'station.pub.pem'), pem);
    const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
    const manifest = `${sha(payload)}  data/case.json\n`;
    await writeFile(path.join(bag, 'manifest-sha256.txt'), manifest);
    const tagManifest = `${sha(manifest)}  manifest-sha256.txt\n${sha(pem)}  seal/station.pub.pem\n`;
    await writeFile(path.join(bag, 'tagmanifest-sha256.txt'), tagManifest);
    await writeFile(
      path.join(bag, 'seal', 'tagmanifest-sha256.txt.sig'),
      sign(null, Buffer.from(tagManifest), privateKey),
    );

    const shell = (command: string): Promise<{ stdout: string }> => run('sh', ['-c', command], { cwd: bag });
    expect((await shell(MANIFEST_CHECK)).stdout).toBe('data/case.json: OK\n');
    expect((await shell(TAG_MANIFEST_CHECK)).stdout).toBe('manifest-sha256.txt: OK\nseal/station.pub.pem: OK\n');
    expect((await shell(SIGNATURE_CHECK)).stdout.trim()).toBe('Signature Verified Successfully');
    const printed = (await shell(FINGERPRINT_CHECK)).stdout;
    expect(printed).toBe(`${keyFingerprint(pem)}  -\n`);

    // And the report names that same fingerprint.
    const input = sampleCaseJson({ keyFingerprint: keyFingerprint(pem) });
    const text = (await run('pdftotext', [await savePdf('keyed.pdf', (await renderReport(input)).pdf), '-'])).stdout;
    expect(text).toContain(groupFingerprint(keyFingerprint(pem)));

    // A changed tag manifest fails the printed signature check.
    await writeFile(path.join(bag, 'tagmanifest-sha256.txt'), tagManifest.replace('manifest', 'Manifest'));
    await expect(shell(SIGNATURE_CHECK)).rejects.toMatchObject({
      stdout: expect.stringContaining('Signature Verification Failure'),
    });
  });
});
