import { afterAll, describe, expect, it } from 'vitest';
import { sampleCaseJson } from '../../../test/support/sampleCaseJson';
import { ReportWorkerHost, renderReport } from './renderReport';

/**
 * The report worker the engine keeps: warmed or not, first report or tenth, the same input gives
 * the same bytes as a worker of its own; closing it fails a report in progress and refuses more.
 */

const hosts: ReportWorkerHost[] = [];
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

function host(): ReportWorkerHost {
  const h = new ReportWorkerHost();
  hosts.push(h);
  return h;
}

describe('ReportWorkerHost', { timeout: 120_000 }, () => {
  it('gives the same bytes warmed, reused and alone', async () => {
    const input = sampleCaseJson();
    const alone = await renderReport(input);
    const warm = host();
    warm.prestart();
    const first = await warm.render(input);
    const second = await warm.render(input);
    expect(first.pdf.equals(alone.pdf)).toBe(true);
    expect(second.pdf.equals(alone.pdf)).toBe(true);
    expect(second.html).toBe(alone.html);
  });

  it('answers reports asked together, each its own', async () => {
    const a = sampleCaseJson();
    const b = sampleCaseJson();
    b.caseJson.case.title = `${a.caseJson.case.title} (第二份)`;
    const h = host();
    const [ra, rb] = await Promise.all([h.render(a), h.render(b)]);
    expect(ra.html).toContain(a.caseJson.case.title);
    expect(rb.html).toContain('第二份');
    expect(ra.pdf.equals(rb.pdf)).toBe(false);
  });

  it('fails a report in progress when closed, and refuses one after', async () => {
    const h = host();
    const pending = h.render(sampleCaseJson());
    await h.close();
    await expect(pending).rejects.toThrow(/engine closed/);
    await expect(h.render(sampleCaseJson())).rejects.toThrow(/closed/);
  });
});
