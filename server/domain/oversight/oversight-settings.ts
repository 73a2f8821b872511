import { z } from 'zod';

/**
 * How a trial's AI oversight charts set their limits, part of the trial design (so a change is a
 * protocol amendment): limits come from each chart's first `baselineCount` cases (phase I), an EWMA
 * with weight λ whose limits give the stated in-control average run length, and the time on task
 * under which a signature counts as fast. Fewer than 5 baseline cases give limits too rough to act on.
 */
export const oversightSettingsSchema = z.strictObject({
  baselineCount: z.int().min(5).max(500),
  lambda: z.number().min(0.05).max(1),
  inControlArl: z.number().min(50).max(10_000),
  fastSignSeconds: z.int().min(1).max(3600),
});
export type OversightSettings = z.infer<typeof oversightSettingsSchema>;

export const DEFAULT_OVERSIGHT_SETTINGS: OversightSettings = { baselineCount: 10, lambda: 0.2, inControlArl: 370, fastSignSeconds: 30 };
