import { adminRouter } from './admin';
import { analysisPlanRouter } from './analysis-plan';
import { analyticsRouter } from './analytics';
import { authRouter } from './auth';
import { dsmbRouter } from './dsmb';
import { followupRouter } from './followup';
import { outcomesRouter } from './outcomes';
import { oversightRouter } from './oversight';
import { pacsRouter } from './pacs';
import { participantsRouter } from './participants';
import { queriesRouter } from './queries';
import { randomizationDesignRouter } from './randomization-design';
import { reviewRouter } from './review';
import { studiesRouter } from './studies';
import { trialsRouter } from './trials';
import { createCallerFactory, router } from '../trpc';

/** The root router only composes the domain routers. */
export const appRouter = router({
  auth: authRouter,
  trials: trialsRouter,
  admin: adminRouter,
  participants: participantsRouter,
  queries: queriesRouter,
  pacs: pacsRouter,
  review: reviewRouter,
  studies: studiesRouter,
  outcomes: outcomesRouter,
  analytics: analyticsRouter,
  analysisPlan: analysisPlanRouter,
  dsmb: dsmbRouter,
  randomizationDesign: randomizationDesignRouter,
  followup: followupRouter,
  oversight: oversightRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
