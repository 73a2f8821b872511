/**
 * The mixed workload, as its own process (so the load does not share an event loop with the app or
 * the test): logins, worklist and report reads, enrollments and randomizations from `--connections`
 * concurrent HTTP clients (autocannon) for `--duration` seconds. Writes a JSON WorkloadResult to
 * `--out`: per-route counts, statuses and latency percentiles, and every write the server
 * acknowledged (HTTP 200), which the crash tests look for after a restart.
 *   node --import tsx test/reliability/support/workload-process.ts --url URL --duration 10 --connections 50 --out FILE
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { WORKLOAD_USERS, type RouteFigures, type WorkloadResult } from './workload-types';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    password: { type: 'string' },
    out: { type: 'string' },
    'login-timeout': { type: 'string', default: '30' },
  },
});
if (!values.url || !values.out || !values.password) throw new Error('--url, --password and --out are required');
const base = values.url;
const password = values.password;
const duration = Number(values.duration);
const connections = Number(values.connections);

type Json = Record<string, unknown>;
const jsonHeaders = { 'content-type': 'application/json', 'x-segtrial-request': '1', origin: base };

async function trpc(path: string, input: unknown, cookie?: string, mutation = false): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = { ...(mutation ? jsonHeaders : {}), ...(cookie ? { cookie } : {}) };
  const url = mutation || input === undefined ? `${base}/api/trpc/${path}` : `${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await fetch(url, { method: mutation ? 'POST' : 'GET', headers, body: mutation ? JSON.stringify({ json: input ?? null }) : undefined, signal: AbortSignal.timeout(20_000) });
  return { status: res.status, body: (await res.json()) as Json };
}

async function login(username: string): Promise<string> {
  const deadline = Date.now() + Number(values['login-timeout']) * 1000;
  for (;;) {
    try {
      const res = await fetch(`${base}/api/trpc/auth.login`, { method: 'POST', headers: jsonHeaders, body: JSON.stringify({ json: { username, password } }), signal: AbortSignal.timeout(20_000) });
      const cookie = res.headers.get('set-cookie');
      if (res.ok && cookie) return cookie.split(';')[0]!;
      throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

const cookies = Object.fromEntries(await Promise.all(WORKLOAD_USERS.map(async (u) => [u, await login(u)] as const))) as Record<(typeof WORKLOAD_USERS)[number], string>;
const trialList = await trpc('trials.list', undefined, cookies.coordinator);
const trial = ((trialList.body.result as Json).data as Json).json as { id: string; slug: string; sites: { id: string; code: string }[] }[];
const demo = trial.find((t) => t.slug === 'demo');
if (!demo) throw new Error('demo trial not found');
const siteIds = demo.sites.filter((s) => s.code !== 'site-x').map((s) => s.id);

// ---- recording ---------------------------------------------------------------------------------

const latencies = new Map<string, number[]>();
const statuses = new Map<string, Map<number, number>>();
const serverErrors: { route: string; status: number; body: string }[] = [];
const acks = { enrolled: [] as string[], randomized: [] as string[], enrolledAt: [] as number[], randomizedAt: [] as number[] };

function record(route: string, status: number, ms: number, body: string): void {
  (latencies.get(route) ?? latencies.set(route, []).get(route)!).push(ms);
  const byStatus = statuses.get(route) ?? statuses.set(route, new Map()).get(route)!;
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  if (status >= 500 && serverErrors.length < 20) serverErrors.push({ route, status, body: body.slice(0, 500) });
}

function dataOf(body: string): Json | undefined {
  try {
    return (JSON.parse(body) as { result?: { data?: { json?: Json } } }).result?.data?.json ?? undefined;
  } catch {
    return undefined;
  }
}

// ---- requests ----------------------------------------------------------------------------------

type Ctx = { t0?: number; participantId?: string };
type Req = autocannon.Request;
let studyCounter = 0;
const runTag = Math.random().toString(36).slice(2, 7).toUpperCase();

/** A request whose latency is measured from when autocannon builds it to its response. */
function timed(route: string, build: (ctx: Ctx) => Partial<Req> | null, onOk?: (data: Json | undefined, ctx: Ctx) => void): Req {
  return {
    setupRequest: ((req: Req, ctx: Ctx) => {
      const built = build(ctx);
      if (!built) return null;
      ctx.t0 = performance.now();
      return { ...req, ...built };
    }) as unknown as Req['setupRequest'],
    onResponse: (status: number, body: string, ctx: Ctx) => {
      record(route, status, performance.now() - (ctx.t0 ?? performance.now()), body);
      if (status === 200) onOk?.(dataOf(body), ctx);
    },
  };
}

const query = (route: string, cookie: string, input?: unknown) =>
  timed(route, () => ({ method: 'GET', path: `/api/trpc/${route}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`}`, headers: { cookie } }));

const post = (route: string, cookie: string, input: (ctx: Ctx) => unknown | null, onOk?: (data: Json | undefined, ctx: Ctx) => void) =>
  timed(
    route,
    (ctx) => {
      const body = input(ctx);
      return body === null ? null : { method: 'POST', path: `/api/trpc/${route}`, headers: { ...jsonHeaders, cookie }, body: JSON.stringify({ json: body }) };
    },
    onOk,
  );

const ageBands = ['<50', '50-64', '>=65'];
const coordinator = [
  post(
    'participants.enroll',
    cookies.coordinator,
    () => {
      const n = ++studyCounter;
      return {
        trialId: demo.id,
        siteId: siteIds[n % siteIds.length],
        studyId: `L${runTag}-${n}`,
        baseline: { age: 30 + (n % 50), sex: n % 2 ? 'F' : 'M', scannerVendor: 'Siemens', fieldStrength: '3T' },
        levels: { age_band: ageBands[n % ageBands.length] },
        eligibility: { adult: true, mri_complete: true, consent: true, prior_treatment: false },
        consentDate: '2026-01-15',
      };
    },
    (data, ctx) => {
      if (typeof data?.id === 'string') {
        acks.enrolled.push(data.id);
        acks.enrolledAt.push(Date.now());
        ctx.participantId = data.id;
      }
    },
  ),
  post(
    'participants.randomize',
    cookies.coordinator,
    (ctx) => (ctx.participantId ? { trialId: demo.id, participantId: ctx.participantId } : null),
    (data) => {
      if (typeof data?.participantId !== 'string') return;
      if (acks.randomized.length === 0) console.log('workload: first randomization');
      acks.randomized.push(data.participantId);
      acks.randomizedAt.push(Date.now());
    },
  ),
  query('participants.list', cookies.coordinator, { trialId: demo.id }),
];
const statistician = [query('trials.balance', cookies.statistician, { trialId: demo.id }), query('trials.consort', cookies.statistician, { trialId: demo.id })];
const monitor = [
  query('admin.auditTrail', cookies.monitor, { trialId: demo.id, limit: 50 }),
  query('trials.unblindings', cookies.monitor, { trialId: demo.id }),
  query('trials.design', cookies.monitor, { trialId: demo.id }),
];
const clinician = [query('trials.list', cookies.clinician), query('auth.me', cookies.clinician)];
const logins = [post('auth.login', '', () => ({ username: WORKLOAD_USERS[studyCounter % WORKLOAD_USERS.length], password }))];

// Logins are scrypt-bound (tens of ms of CPU each), so few clients log in over and over; the rest
// share the writes and reads of a working day.
const loginClients = connections >= 10 ? 2 : 1;
const rest = connections - loginClients;
const groups: { name: string; connections: number; requests: Req[] }[] = [
  { name: 'login', connections: loginClients, requests: logins },
  { name: 'coordinator', connections: Math.max(1, Math.round(rest * 0.44)), requests: coordinator },
  { name: 'statistician', connections: Math.max(1, Math.round(rest * 0.18)), requests: statistician },
  { name: 'monitor', connections: Math.max(1, Math.round(rest * 0.18)), requests: monitor },
];
groups.push({ name: 'clinician', connections: Math.max(1, connections - groups.reduce((s, g) => s + g.connections, 0)), requests: clinician });

// SIGTERM ends the run early (the crash tests stop it once the server is dead); figures are kept.
process.on('SIGTERM', () => instances.forEach((i) => i.stop()));
console.log('workload: started');
const started = Date.now();
const instances: autocannon.Instance[] = [];
const results = await Promise.all(
  groups.map(
    (g) =>
      new Promise<WorkloadResult['groups'][number]>((resolve, reject) => {
        const instance = autocannon({ url: base, connections: g.connections, duration, timeout: 15, requests: g.requests }, (error, r) =>
          error ? reject(error) : resolve({ group: g.name, connections: g.connections, errors: r.errors, timeouts: r.timeouts, requests: r.requests.total }),
        );
        instances.push(instance);
      }),
  ),
);

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const routes: Record<string, RouteFigures> = {};
for (const [route, list] of latencies) {
  const sorted = [...list].sort((a, b) => a - b);
  routes[route] = {
    count: sorted.length,
    statuses: Object.fromEntries(statuses.get(route) ?? []),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
const result: WorkloadResult = {
  seconds: (Date.now() - started) / 1000,
  connections,
  groups: results,
  routes,
  serverErrors,
  acks,
};
writeFileSync(values.out, JSON.stringify(result));
