import { adminRouter } from './admin';
import { authRouter } from './auth';
import { trialsRouter } from './trials';
import { createCallerFactory, router } from '../trpc';

/** The root router only composes the domain routers. */
export const appRouter = router({
  auth: authRouter,
  trials: trialsRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
