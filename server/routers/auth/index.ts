import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { loginUser } from '../../domain/auth/login-user';
import { logoutSession } from '../../domain/auth/logout-session';
import { resetPasswordWithToken } from '../../domain/users/password-reset';
import { authedProcedure, publicProcedure } from '../../trpc';

export const authRouter = {
  /** Checks credentials, sets the httpOnly session cookie, returns the user (never the token). */
  login: publicProcedure.input(z.object({ username: z.string().min(1).max(80), password: z.string().min(1).max(256) })).mutation(async ({ ctx, input }) => {
    ctx.limitRate?.('login');
    const result = await loginUser({ db: ctx.db, ...input, sessionMaxMinutes: ctx.sessionConfig.maxMinutes, request: ctx.request });
    ctx.setSessionCookie(result.token, ctx.sessionConfig.maxMinutes * 60);
    return { user: result.user, expiresAt: result.expiresAt };
  }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logoutSession({ db: ctx.db, session: ctx.session, request: ctx.request });
    ctx.setSessionCookie(null, 0);
    return { ok: true as const };
  }),

  /** Sets a new password through a one-time reset link an admin issued (rate limited like login). */
  resetPassword: publicProcedure.input(z.object({ token: z.string().min(20).max(100), newPassword: z.string().min(1).max(256) })).mutation(async ({ ctx, input }) => {
    ctx.limitRate?.('login');
    return resetPasswordWithToken({ db: ctx.db, token: input.token, newPassword: input.newPassword, request: ctx.request });
  }),

  /** The logged-in user, or null. */
  me: publicProcedure.query(({ ctx }) => ctx.session?.user ?? null),
} satisfies TRPCRouterRecord;
