/**
 * Viewer benchmark, on loopback: how long a clinician waits from opening a case (navigation start)
 * to the first rendered slice and to the AI overlay shown, in Debian's Chromium (WebGL2 on
 * SwiftShader, no GPU) against the production build. Reference measured in the same run: fetching
 * the same bytes (the T1gd volume, then the label map, as the viewer does) from a page of the same
 * origin without rendering anything. Prints medians of `--runs` fresh page loads and the ratios.
 *
 *   node --import tsx bench/viewer/run.ts [--runs 5] [--size small|tiny|full] [--port 3199]
 *
 * It builds the app if there is no build and serves it from `.next`, like the e2e tests: on a shared
 * machine run it under the same lock as builds and Playwright runs.
 *
 * The case is made through the app's API (upload, ingest, the worker's ONNX inference) first.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { prepareReviewCases } from '../../test/e2e/review-cases';
import { BENCH_PASSWORD, startProductionServer } from '../lib/server';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const runs = Number(arg('runs', '5'));
const size = arg('size', 'small') as 'small' | 'tiny' | 'full';
const port = Number(arg('port', '3199'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const server = await startProductionServer({ port, env: { SEGTRIAL_DEMO_CASES: 'enroll' } });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  console.log(`preparing a ${size} assisted-arm case through the API (upload, ingest, inference) …`);
  const { assisted } = await prepareReviewCases(server.url, BENCH_PASSWORD, { sizes: [size, 'tiny', 'tiny'], timeoutMs: 600_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const login = await context.newPage();
  await login.goto(`${server.url}/login`);
  await login.getByLabel('Username').fill('clinician');
  await login.getByLabel('Password').fill(BENCH_PASSWORD);
  await login.getByRole('button', { name: 'Log in' }).click();
  await login.getByTestId('current-user').waitFor();
  await login.close();

  const caseUrl = `${server.url}/clinician/cases/${assisted.caseId}`;
  const files = ['t1gd', 'ai-labels'].map((k) => `${server.url}/api/review/cases/${assisted.caseId}/files/${k}`);
  const first: number[] = [];
  const overlay: number[] = [];
  const fetchFirst: number[] = [];
  const fetchAll: number[] = [];
  let bytes = 0;
  // One warm-up of each, so that both sides run with compiled routes and cached static assets.
  for (let run = -1; run < runs; run++) {
    const page = await context.newPage();
    await page.goto(caseUrl);
    await page.waitForFunction(() => window.__segtrialViewer?.overlayMs !== undefined, null, { timeout: 120_000 });
    const t = await page.evaluate(() => window.__segtrialViewer!);
    await page.close();
    const ref = await context.newPage();
    await ref.goto(`${server.url}/api/health`);
    const r = await ref.evaluate(async (urls) => {
      const t0 = performance.now();
      const a = await (await fetch(urls[0]!)).arrayBuffer();
      const t1 = performance.now();
      const b = await (await fetch(urls[1]!)).arrayBuffer();
      return { first: t1 - t0, all: performance.now() - t0, bytes: a.byteLength + b.byteLength };
    }, files);
    await ref.close();
    if (run < 0) continue;
    first.push(t.firstSliceMs!);
    overlay.push(t.overlayMs!);
    fetchFirst.push(r.first);
    fetchAll.push(r.all);
    bytes = r.bytes;
  }
  const f = median(first);
  const o = median(overlay);
  const rf = median(fetchFirst);
  const ra = median(fetchAll);
  console.log(`case (${size}), ${(bytes / 1e6).toFixed(2)} MB of gzip NIfTI (T1gd + label map), ${runs} page loads, medians:`);
  console.log(`  open → first rendered slice  ${f.toFixed(0)} ms   (fetching the T1gd alone: ${rf.toFixed(1)} ms)   ratio ${(f / rf).toFixed(1)}`);
  console.log(`  open → overlay shown         ${o.toFixed(0)} ms   (fetching both files:      ${ra.toFixed(1)} ms)   ratio ${(o / ra).toFixed(1)}`);
} finally {
  await browser.close();
  await server.stop();
}
