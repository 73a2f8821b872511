import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { studies } from '../../db/schema';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { RELIABILITY_PASSWORD, startAppServer, type AppServer } from './support/app-server';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database';
import { callOverHttp, httpLogin } from './support/trpc-http';

const LOGIN_PER_MINUTE = 8;
const UPLOADS_PER_MINUTE = 3;

let database: ScratchDatabase;
let server: AppServer;
let db: DatabaseHandle;
beforeAll(async () => {
  database = await createScratchDatabase();
  server = await startAppServer({
    port: await freePort(),
    database: { url: database.url },
    storageRoot: mkdtempSync(path.join(os.tmpdir(), 'segtrial-rel-session-')),
    // The test speaks as one trusted proxy: its X-Forwarded-For and -Proto are believed.
    env: { SEGTRIAL_TRUSTED_PROXIES: '1', SEGTRIAL_LOGIN_RATE_PER_MINUTE: String(LOGIN_PER_MINUTE), SEGTRIAL_UPLOAD_RATE_PER_MINUTE: String(UPLOADS_PER_MINUTE), SEGTRIAL_UPLOAD_MAX_MB: '1' },
  });
  db = await database.open();
});
afterAll(async () => {
  await server?.kill('SIGTERM');
  await database?.drop();
});

// Each test speaks from its own client address, so the login rate limit of one does not touch another.
let address = 0;
const nextAddress = () => `198.51.100.${++address}`;
const login = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: server.url, 'x-forwarded-for': nextAddress(), ...headers },
    body: JSON.stringify({ json: body }),
  });
const me = (cookie: string) => callOverHttp(server.url, { path: 'trials.list', type: 'query' }, undefined, { cookie });

describe('sessions and request limits over HTTP on the production build', () => {
  it('sets the session cookie httpOnly, SameSite=Lax, whole-site, and Secure behind https', async () => {
    const plain = await login({ username: 'monitor', password: RELIABILITY_PASSWORD });
    expect(plain.headers.get('set-cookie')).toMatch(/^segtrial_session=[\w-]{30,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const tls = await login({ username: 'monitor', password: RELIABILITY_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(tls.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('does not adopt a session id chosen by someone else (fixation)', async () => {
    const planted = 'segtrial_session=attacker-chosen-value-000000000000000';
    const res = await login({ username: 'coordinator', password: RELIABILITY_PASSWORD }, { cookie: planted });
    const issued = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(issued).not.toBe(planted);
    expect((await me(planted)).status).toBe(401);
    expect((await me(issued)).status).toBe(200);
  });

  it('ends the session on logout: the old cookie is refused afterwards', async () => {
    const cookie = await httpLogin(server.url, 'statistician', RELIABILITY_PASSWORD, nextAddress());
    expect((await me(cookie)).status).toBe(200);
    expect((await callOverHttp(server.url, { path: 'auth.logout', type: 'mutation' }, undefined, { cookie })).status).toBe(200);
    expect((await me(cookie)).status).toBe(401);
  });

  it('locks an account after 5 wrong passwords, even against the right one', async () => {
    const from = nextAddress();
    for (let i = 0; i < 5; i++) expect((await login({ username: 'clinician-b', password: `wrong-${i}` }, { 'x-forwarded-for': from })).status).toBe(401);
    const locked = await login({ username: 'clinician-b', password: RELIABILITY_PASSWORD }, { 'x-forwarded-for': from });
    expect(locked.status).toBe(403);
    expect(await locked.text()).toContain('ACCOUNT_LOCKED');
  });

  it('refuses cross-site mutations: no custom header, foreign or opaque Origin, GET, form posts', async () => {
    const cookie = await httpLogin(server.url, 'coordinator', RELIABILITY_PASSWORD, nextAddress());
    const body = JSON.stringify({ json: { slug: 'csrf-trial', name: 'CSRF', sites: [{ code: 'x1', name: 'X1' }] } });
    const post = (headers: Record<string, string>) => fetch(`${server.url}/api/trpc/trials.create`, { method: 'POST', headers: { cookie, ...headers }, body });
    expect((await post({ 'content-type': 'application/json' })).status).toBe(403);
    expect((await post({ 'content-type': 'application/json', 'x-segtrial-request': '1', origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'content-type': 'application/json', 'x-segtrial-request': '1', origin: 'null' })).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain' })).status).toBeGreaterThanOrEqual(400);
    const viaGet = await fetch(`${server.url}/api/trpc/trials.create?input=${encodeURIComponent(body)}`, { headers: { cookie } });
    expect(viaGet.status).toBeGreaterThanOrEqual(400);
    const upload = await fetch(`${server.url}/api/studies`, { method: 'POST', headers: { cookie }, body: new FormData() });
    expect(upload.status).toBe(403);
    const [{ n } = { n: -1 }] = await db.db
      .execute<{ n: number }>(sql`select count(*)::int as n from trials where slug = 'csrf-trial'`)
      .then((r) => (Array.isArray(r) ? r : (r as { rows: { n: number }[] }).rows));
    expect(n).toBe(0);
  });

  it(`rate-limits logins per client address (${LOGIN_PER_MINUTE}/min): 429 with Retry-After, other addresses unaffected`, async () => {
    const from = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_PER_MINUTE + 2; i++) statuses.push((await login({ username: `nobody-${i}`, password: 'x' }, { 'x-forwarded-for': from })).status);
    expect(statuses.slice(0, LOGIN_PER_MINUTE).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LOGIN_PER_MINUTE)).toEqual([429, 429]);
    const limited = await login({ username: 'monitor', password: RELIABILITY_PASSWORD }, { 'x-forwarded-for': from });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('RATE_LIMITED');
    expect((await login({ username: 'monitor', password: RELIABILITY_PASSWORD })).status).toBe(200);
  });

  it('refuses uploads over the size limit (413, declared or streamed) and rate-limits uploads per user', async () => {
    const cookie = await httpLogin(server.url, 'coordinator', RELIABILITY_PASSWORD, nextAddress());
    const headers = { cookie, 'x-segtrial-request': '1', origin: server.url };
    const big = new FormData();
    big.set('flair', new File([new Uint8Array(2 * 1024 * 1024)], 'flair.nii'));
    const declared = await fetch(`${server.url}/api/studies`, { method: 'POST', headers, body: big });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    // No Content-Length: the body streams in chunks and is cut off at the limit.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="flair"; filename="f.nii"\r\n\r\n'));
        for (let i = 0; i < 40; i++) controller.enqueue(new Uint8Array(64 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(`${server.url}/api/studies`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'multipart/form-data; boundary=b' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await db.db.select().from(studies)).toEqual([]);
    // The route wrapper refuses a declared oversized body before it opens the session (no allowance
    // used), while the streamed one was counted when its session was checked, before its body was
    // read: UPLOADS_PER_MINUTE - 1 more are allowed, then 429. They reuse
    // the keep-alive connections of the refused uploads: the server must have left those usable (it
    // drops an oversized body's rest instead of resetting the socket).
    const small = () => fetch(`${server.url}/api/studies`, { method: 'POST', headers, body: new FormData() });
    for (let i = 0; i < UPLOADS_PER_MINUTE - 1; i++) {
      const allowed = await small();
      expect(allowed.status).toBe(400);
      expect((await allowed.json()).error.code).toBe('INVALID_INPUT');
    }
    const refused = await small();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await refused.json()).error.code).toBe('RATE_LIMITED');
  });
});
