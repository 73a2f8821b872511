import { z } from 'zod';
import { AppError } from '../../errors';

/**
 * A trial's imaging visits: the baseline (RANO 2.0: the post-radiotherapy scan for newly diagnosed
 * disease) and follow-ups at an offset from it, each with a window either side. The design stores
 * it as `imagingVisits`; a design without one gets DEFAULT_IMAGING_VISITS.
 */
export const imagingVisitSchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,19}$/, 'lower-case letters, digits and _'),
  label: z.string().min(1).max(60),
  /** Days after the baseline scan the visit is due (0 for the baseline). */
  offsetDays: z.number().int().min(0).max(3650),
  /** Days either side of the due date that count as on time. */
  windowDays: z.number().int().min(0).max(180),
});
export type ImagingVisit = z.infer<typeof imagingVisitSchema>;

export const imagingVisitScheduleSchema = z
  .array(imagingVisitSchema)
  .min(1)
  .max(40)
  .superRefine((visits, ctx) => {
    if (visits[0]!.offsetDays !== 0) ctx.addIssue({ code: 'custom', message: 'the first visit is the baseline, offset 0 days', path: [0, 'offsetDays'] });
    for (let i = 1; i < visits.length; i++) {
      if (visits[i]!.offsetDays <= visits[i - 1]!.offsetDays) ctx.addIssue({ code: 'custom', message: 'visits are listed in time order, offsets increasing', path: [i, 'offsetDays'] });
      if (visits.findIndex((v) => v.code === visits[i]!.code) !== i) ctx.addIssue({ code: 'custom', message: `visit code '${visits[i]!.code}' is listed twice`, path: [i, 'code'] });
    }
  });

/** Baseline, then every 8 weeks for a year (RANO's 8–12-week rhythm), one week either side. */
export const DEFAULT_IMAGING_VISITS: readonly ImagingVisit[] = [
  { code: 'baseline', label: 'Baseline (post-radiotherapy)', offsetDays: 0, windowDays: 0 },
  { code: 'fu1', label: 'Follow-up 1 (week 8)', offsetDays: 56, windowDays: 7 },
  { code: 'fu2', label: 'Follow-up 2 (week 16)', offsetDays: 112, windowDays: 7 },
  { code: 'fu3', label: 'Follow-up 3 (week 24)', offsetDays: 168, windowDays: 14 },
  { code: 'fu4', label: 'Follow-up 4 (week 36)', offsetDays: 252, windowDays: 14 },
  { code: 'fu5', label: 'Follow-up 5 (week 48)', offsetDays: 336, windowDays: 14 },
];

/** The schedule of a stored design (jsonb): its `imagingVisits`, else the default. INVALID_INPUT when malformed. */
export function imagingVisitSchedule(design: unknown): readonly ImagingVisit[] {
  const raw = design && typeof design === 'object' ? (design as { imagingVisits?: unknown }).imagingVisits : undefined;
  if (raw === undefined) return DEFAULT_IMAGING_VISITS;
  const parsed = imagingVisitScheduleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('INVALID_INPUT', `Trial design: imagingVisits.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
