import { adminRouter } from './admin';
import { authRouter } from './auth';
import { participantsRouter } from './participants';
import { studiesRouter } from './studies';
import { reviewRouter } from './review';
import { trialsRouter } from './trials';
import { createCallerFactory, router } from '../trpc';

/** The root router only composes the domain routers. */
export const appRouter = router({
  auth: authRouter,
  trials: trialsRouter,
  admin: adminRouter,
  participants: participantsRouter,
  studies: studiesRouter,
  review: reviewRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
