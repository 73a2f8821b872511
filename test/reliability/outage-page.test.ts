import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { startAppServer, type AppServer } from './support/app-server';

let server: AppServer;
let browser: Browser;
beforeAll(async () => {
  // A PostgreSQL nobody serves: the app starts, and every page meets the outage.
  server = await startAppServer({
    port: await freePort(),
    database: { url: `postgres://segtrial@127.0.0.1:${await freePort()}/segtrial` },
    storageRoot: mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-outage-page-')),
    until: 'answering',
  });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});
afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGTERM');
});

describe('a page during a database outage', () => {
  it('says the database is unavailable and retries by itself, instead of a bare error page', async () => {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'segtrial_session', value: 'a'.repeat(43), url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/coordinator`);
    const notice = page.getByTestId('database-unavailable');
    await notice.waitFor({ timeout: 30_000 });
    expect(await notice.innerText()).toContain('The database is unavailable at the moment');
    expect(await notice.innerText()).toMatch(/tries again by itself in [1-5] s/);
    // The countdown runs and starts over after a retry (the database is still down).
    await page.waitForFunction(() => /in [1-4] s/.test(document.querySelector('[data-testid="database-unavailable"]')?.textContent ?? ''), undefined, { timeout: 10_000 });
    await context.close();
  });
});
