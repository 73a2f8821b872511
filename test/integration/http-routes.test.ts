import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client';
import { freePort } from '../../scripts/lib/postgres-server.mjs';
import { runRoute, type ServedRoute } from '../../server/http/route';
import { openTestDatabase } from './support/test-database';

/**
 * Every route outside tRPC goes through the one wrapper (server/http/route.ts): this file finds the
 * route files under app/api, and drives each exported handler through a database outage, a
 * cross-site request and an oversized body. A new route that bypasses the wrapper fails here unless
 * it is listed below with the reason.
 */
const NOT_WRAPPED: Record<string, string> = {
  'trpc/[trpc]': 'tRPC has its own context (server/http/create-request-context.ts) with the same request facts; its outage and cross-site answers are tested with the procedures',
  'bench/plain': "bench/api's reference: deliberately bare (no session, no database), 404 unless a benchmark sets SEGTRIAL_BENCH_FIXTURE",
};

const ORIGIN = 'http://127.0.0.1:3000';
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const SAMPLE_ID = '00000000-0000-4000-8000-000000000001';

function routeFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full, prefix ? `${prefix}/${name}` : name);
    return name === 'route.ts' ? [prefix] : [];
  });
}

/** `/api/studies/[studyId]/reference` with its dynamic segments filled by valid-looking values. */
function samplePath(route: string): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const url = route.replace(/\[(\w+)\]/g, (_m, name: string) => (params[name] = name === 'kind' ? 'flair' : SAMPLE_ID));
  return { url: `${ORIGIN}/api/${url}`, params };
}

interface Endpoint {
  readonly route: string;
  readonly method: (typeof METHODS)[number];
  readonly handler: ServedRoute;
}

const endpoints: Endpoint[] = [];
let outage: DatabaseHandle;
let live: DatabaseHandle;

beforeAll(async () => {
  const root = path.join(import.meta.dirname, '../../app/api');
  for (const route of routeFiles(root)) {
    if (NOT_WRAPPED[route]) continue;
    const mod = (await import(path.join(root, route, 'route.ts'))) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler === undefined) continue;
      expect((handler as Partial<ServedRoute>).spec, `${method} /api/${route} is not served by serveRoute()`).toBeDefined();
      endpoints.push({ route, method, handler: handler as ServedRoute });
    }
  }
  // A real PostgreSQL client pointed at a port nobody listens on: every query fails as in an outage.
  outage = await openDatabase({ driver: 'postgres', url: `postgres://segtrial@127.0.0.1:${await freePort()}/segtrial`, maxConnections: 1 });
  live = await openTestDatabase();
});
afterAll(async () => {
  await outage?.close().catch(() => {});
  await live?.close();
});

function request(e: Endpoint, headers: Record<string, string>, body?: Uint8Array): Request {
  const { url } = samplePath(e.route);
  return new Request(url, { method: e.method, headers: { host: '127.0.0.1:3000', ...headers }, body: e.method === 'GET' ? undefined : ((body ?? new Uint8Array(0)) as Uint8Array<ArrayBuffer>) });
}

async function errorCode(res: Response): Promise<string | undefined> {
  return ((await res.json()) as { error?: { code?: string } }).error?.code;
}

describe('routes outside tRPC', () => {
  it('are all found (the enumeration is not empty) and carry their declaration', () => {
    expect(endpoints.map((e) => `${e.method} ${e.route}`).sort()).toEqual(
      expect.arrayContaining([
        'POST studies',
        'POST studies/[studyId]/reference',
        'POST models',
        'GET analytics/[trialId]/export',
        'GET review/cases/[caseId]/files/[kind]',
        'POST review/cases/[caseId]/labels',
        'GET health',
      ]),
    );
  });

  it('answer 503 DATABASE_UNAVAILABLE while the database cannot be reached, never a bare 500', async () => {
    for (const e of endpoints) {
      const res = await runRoute(e.handler.spec, {
        req: request(e, { 'x-segtrial-request': '1', origin: ORIGIN, cookie: 'segtrial_session=some-session-token-0000000000000000' }, new Uint8Array(8)),
        params: samplePath(e.route).params,
        db: outage.db,
      });
      expect(res.status, `${e.method} ${e.route}`).toBe(503);
      expect(res.headers.get('x-request-id'), `${e.method} ${e.route}`).toMatch(/^[\w-]{8,}$/);
      // The runtime that cannot even open its database is the same outage.
      const unopened = await runRoute(e.handler.spec, {
        req: request(e, { 'x-segtrial-request': '1', origin: ORIGIN }, new Uint8Array(8)),
        params: samplePath(e.route).params,
        db: () => outage.db.execute(sql`select 1`).then(() => outage.db),
      });
      expect(unopened.status, `${e.method} ${e.route} (database not opened)`).toBe(503);
      expect(await errorCode(unopened)).toBe('DATABASE_UNAVAILABLE');
    }
  });

  it('answer 403 CROSS_SITE_REQUEST to another site, before touching the database', async () => {
    for (const e of endpoints) {
      for (const headers of <Record<string, string>[]>[
        { 'x-segtrial-request': '1', origin: 'https://evil.example' },
        { 'x-segtrial-request': '1', origin: 'null' },
        { 'x-segtrial-request': '1', 'sec-fetch-site': 'cross-site' },
      ]) {
        const res = await runRoute(e.handler.spec, { req: request(e, headers), params: samplePath(e.route).params, db: outage.db });
        expect(res.status, `${e.method} ${e.route} ${JSON.stringify(headers)}`).toBe(403);
        expect(await errorCode(res)).toBe('CROSS_SITE_REQUEST');
      }
      if (e.method !== 'GET') {
        // A plain form post (no custom header) from anywhere: refused.
        const res = await runRoute(e.handler.spec, { req: request(e, { origin: ORIGIN }), params: samplePath(e.route).params, db: outage.db });
        expect(res.status, `${e.method} ${e.route} without the custom header`).toBe(403);
      }
    }
  });

  it('answer 413 PAYLOAD_TOO_LARGE to a declared body over the route limit, before touching the database', async () => {
    for (const e of endpoints) {
      const limit = typeof e.handler.spec.maxBytes === 'function' ? e.handler.spec.maxBytes() : (e.handler.spec.maxBytes ?? 0);
      const res = await runRoute(e.handler.spec, {
        req: request(e, { 'x-segtrial-request': '1', origin: ORIGIN, 'content-length': String(limit + 1) }),
        params: samplePath(e.route).params,
        db: outage.db,
      });
      expect(res.status, `${e.method} ${e.route} (limit ${limit})`).toBe(413);
      expect(await errorCode(res)).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('cut a streamed body without Content-Length at the limit (413)', async () => {
    const e = endpoints.find((x) => x.route === 'review/cases/[caseId]/labels')!;
    const limit = e.handler.spec.maxBytes as number;
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > limit + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const { url, params } = samplePath(e.route);
    // The labels route reads its body only after a clinician's case checks: a public probe route with
    // the same limit exercises the wrapper's streamed cut-off alone.
    const res = await runRoute(
      { name: 'limit-probe', roles: 'public', maxBytes: limit, handle: async ({ readBytes }) => Response.json({ bytes: (await readBytes()).length }) },
      { req: new Request(url, { method: 'POST', headers: { 'x-segtrial-request': '1', origin: ORIGIN, host: '127.0.0.1:3000' }, body, duplex: 'half' } as RequestInit), params, db: live.db },
    );
    expect(res.status).toBe(413);
  });

  it('answer 401 without a session (public routes excepted) with a live database', async () => {
    for (const e of endpoints) {
      const res = await runRoute(e.handler.spec, { req: request(e, { 'x-segtrial-request': '1', origin: ORIGIN }), params: samplePath(e.route).params, db: live.db });
      expect(res.status, `${e.method} ${e.route}`).toBe(e.handler.spec.roles === 'public' ? 200 : 401);
    }
  });

  it('believe X-Forwarded-* only from a trusted proxy', async () => {
    const { requestFacts } = await import('../../server/http/request-facts');
    const req = new Request(`${ORIGIN}/api/health`, {
      headers: { host: '127.0.0.1:3000', 'x-forwarded-for': '203.0.113.9, 198.51.100.7', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
    });
    expect(requestFacts(req, 0)).toMatchObject({ host: '127.0.0.1:3000', secure: false, clientAddress: '198.51.100.7' });
    expect(requestFacts(req, 1)).toMatchObject({ host: 'evil.example', secure: true, clientAddress: '198.51.100.7' });
    expect(requestFacts(req, 2)).toMatchObject({ clientAddress: '203.0.113.9' });
  });
});
