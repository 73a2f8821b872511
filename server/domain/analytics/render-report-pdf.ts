import { chromium } from 'playwright-core';

/**
 * Chromium flags for headless rendering on a machine without a GPU or network access; the same
 * list as CHROMIUM_ARGS in playwright.config.ts (a unit test keeps them equal).
 */
export const PDF_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
] as const;

export interface RenderedReport {
  readonly pdf: Uint8Array;
  /** The dataset snapshot the printed page says it was computed from (its data-snapshot attribute). */
  readonly snapshotSha256: string;
  readonly snapshotBuiltAt: string;
}

/**
 * Prints the report page at `url` to an A4 PDF with Chromium through Playwright, as the user whose
 * session cookie is given (so the page applies that user's access). Waits until every chart has
 * drawn (the page sets data-charts-ready) and reads back the snapshot it rendered.
 */
export async function renderReportPdf({
  url,
  cookie,
  executablePath = '/usr/bin/chromium',
  timeoutMs = 60_000,
}: {
  url: string;
  cookie: { name: string; value: string };
  executablePath?: string;
  timeoutMs?: number;
}): Promise<RenderedReport> {
  const browser = await chromium.launch({ executablePath, args: [...PDF_CHROMIUM_ARGS] });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    await context.addCookies([{ name: cookie.name, value: cookie.value, url: new URL(url).origin }]);
    const page = await context.newPage();
    const response = await page.goto(url, { waitUntil: 'networkidle', timeout: timeoutMs });
    if (!response || !response.ok()) throw new Error(`report page answered ${response?.status() ?? 'nothing'}`);
    const root = page.locator('[data-report-root]');
    await root.waitFor({ state: 'attached', timeout: timeoutMs });
    await page.locator('[data-report-root][data-charts-ready="true"]').waitFor({ state: 'attached', timeout: timeoutMs });
    const snapshotSha256 = (await root.getAttribute('data-snapshot')) ?? '';
    const snapshotBuiltAt = (await root.getAttribute('data-snapshot-time')) ?? '';
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;text-align:center;color:#555">SegTrial analysis report · dataset ${snapshotSha256.slice(0, 16)} · page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
    });
    return { pdf: new Uint8Array(pdf), snapshotSha256, snapshotBuiltAt };
  } finally {
    await browser.close();
  }
}
