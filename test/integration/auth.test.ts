import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema';
import { LOCKOUT_MINUTES, loginUser, MAX_FAILED_LOGINS } from '../../server/domain/auth/login-user';
import { resolveSession } from '../../server/domain/auth/resolve-session';
import { handleTrpcRequest } from '../../server/http/trpc-handler';
import { DEMO_PASSWORD, seedDemoForTest } from './support/demo';
import { openTestDatabase, TEST_DRIVER } from './support/test-database';

let handle: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  handle = await openTestDatabase();
  await seedDemoForTest(handle.db);
});
afterAll(() => handle.close());

const request = { via: 'system' as const };

function trpcPost(path: string, body: unknown, headers: Record<string, string> = {}) {
  return handleTrpcRequest({
    db: handle.db,
    req: new Request(`http://127.0.0.1:3000/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:3000', ...headers },
      body: JSON.stringify({ json: body }),
    }),
  });
}

describe(`accounts and sessions (${TEST_DRIVER})`, () => {
  it('logs in with the right password and resolves the session by its token', async () => {
    const result = await loginUser({ db: handle.db, username: 'Coordinator', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request });
    expect(result.user.role).toBe('coordinator');
    const session = await resolveSession({ db: handle.db, token: result.token, idleMinutes: 30 });
    expect(session?.user.username).toBe('coordinator');
    const stored = await handle.db.select().from(sessions).where(eq(sessions.userId, result.user.id));
    expect(stored.every((s) => s.tokenHash !== result.token)).toBe(true); // only the hash is stored
  });

  it('refuses a wrong password without saying whether the user exists', async () => {
    await expect(loginUser({ db: handle.db, username: 'monitor', password: 'wrong-password-1', sessionMaxMinutes: 60, request })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await expect(loginUser({ db: handle.db, username: 'nobody-here', password: 'wrong-password-1', sessionMaxMinutes: 60, request })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong username or password.',
    });
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} failures, even for the right password`, async () => {
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      await expect(loginUser({ db: handle.db, username: 'statistician', password: 'not-the-password', sessionMaxMinutes: 60, request })).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
    }
    await expect(loginUser({ db: handle.db, username: 'statistician', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request })).rejects.toMatchObject({ code: 'ACCOUNT_LOCKED' });
    const later = new Date(Date.now() + (LOCKOUT_MINUTES + 1) * 60_000);
    const ok = await loginUser({ db: handle.db, username: 'statistician', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request, now: later });
    expect(ok.user.username).toBe('statistician');
  });

  it('expires idle and past-expiry sessions', async () => {
    const { token } = await loginUser({ db: handle.db, username: 'clinician', password: DEMO_PASSWORD, sessionMaxMinutes: 60, request });
    expect(await resolveSession({ db: handle.db, token, idleMinutes: 30, now: new Date(Date.now() + 31 * 60_000) })).toBeNull();
    expect(await resolveSession({ db: handle.db, token, idleMinutes: 999, now: new Date(Date.now() + 61 * 60_000) })).toBeNull();
    expect(await resolveSession({ db: handle.db, token, idleMinutes: 30 })).not.toBeNull();
  });

  it('sets an httpOnly SameSite cookie on login over HTTP and revokes it on logout', async () => {
    const res = await trpcPost('auth.login', { username: 'monitor', password: DEMO_PASSWORD }, { 'x-segtrial-request': '1', origin: 'http://127.0.0.1:3000' });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^segtrial_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    const token = /segtrial_session=([\w-]+)/.exec(cookie)?.[1];
    const out = await trpcPost('auth.logout', null, { 'x-segtrial-request': '1', cookie: `segtrial_session=${token}` });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(await resolveSession({ db: handle.db, token, idleMinutes: 30 })).toBeNull();
  });

  it('refuses mutations without the custom header or from another origin', async () => {
    const noHeader = await trpcPost('auth.login', { username: 'monitor', password: DEMO_PASSWORD });
    expect(noHeader.status).toBe(403);
    const foreign = await trpcPost('auth.login', { username: 'monitor', password: DEMO_PASSWORD }, { 'x-segtrial-request': '1', origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('Cross-site request refused');
  });

  it('answers UNAUTHORIZED for an anonymous call and never sends password hashes', async () => {
    const res = await handleTrpcRequest({ db: handle.db, req: new Request('http://127.0.0.1:3000/api/trpc/admin.listUsers') });
    expect(res.status).toBe(401);
    const [admin] = await handle.db.select().from(users).where(eq(users.username, 'admin'));
    expect(admin?.passwordHash.startsWith('scrypt$')).toBe(true);
  });
});
