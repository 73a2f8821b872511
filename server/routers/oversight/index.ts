import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { AI_AVAILABILITY_ACTIONS } from '@/db/schema';
import { createContentStore } from '@/imaging/storage/content-store';
import { loadAiAvailability, setAiAvailability } from '../../domain/oversight/ai-availability';
import { exportAiEventLog } from '../../domain/oversight/export-ai-event-log';
import { computeOversightDashboard } from '../../domain/oversight/compute-oversight-dashboard';
import { acknowledgeOversightAlert, listOversightAlerts } from '../../domain/oversight/record-oversight-alerts';
import { compareShadowModels, startShadowEvaluation } from '../../domain/oversight/shadow-model-evaluation';
import { switchPinnedModel } from '../../domain/oversight/switch-pinned-model';
import { env } from '../../env';
import { trialProcedure } from '../../trpc';

const password = z.string().min(1).max(1024);

/**
 * Oversight of the AI while the trial runs: control charts per site (monitors, admins and
 * statisticians; pooled over arms, so no role learns an arm from them), alerts with their
 * acknowledgement, the stop switch (admins, signed), candidate model versions run in shadow and
 * compared with the pinned one, and the AI event log (admins: its model-run lines say which results
 * were shadow-mode, i.e. the arm).
 */
export const oversightRouter = {
  dashboard: trialProcedure('monitor', 'admin', 'statistician').query(async ({ ctx }) => {
    const dashboard = await computeOversightDashboard({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access: ctx.access, request: ctx.request });
    const [alerts, availability] = await Promise.all([listOversightAlerts({ db: ctx.db, access: ctx.access }), loadAiAvailability(ctx.db, ctx.trial.id)]);
    return { dashboard, alerts, availability };
  }),

  acknowledgeAlert: trialProcedure('monitor', 'admin')
    .input(z.object({ alertId: z.uuid(), comment: z.string().max(2000) }))
    .mutation(({ ctx, input }) => acknowledgeOversightAlert({ db: ctx.db, access: ctx.access, alertId: input.alertId, comment: input.comment, actor: ctx.actor, request: ctx.request })),

  availability: trialProcedure('monitor', 'admin', 'statistician', 'coordinator').query(({ ctx }) => loadAiAvailability(ctx.db, ctx.trial.id)),

  setAvailability: trialProcedure('admin')
    .input(z.object({ siteId: z.uuid().nullable(), action: z.enum(AI_AVAILABILITY_ACTIONS), reason: z.string().max(2000), password }))
    .mutation(async ({ ctx, input }) => {
      const signer = { id: ctx.user.id, role: ctx.user.role };
      const event = await setAiAvailability({
        db: ctx.db,
        trialId: ctx.trial.id,
        siteId: input.siteId,
        action: input.action,
        reason: input.reason,
        password: input.password,
        signer,
        request: ctx.request,
      });
      return { id: event.id, action: event.action, recordedAt: event.recordedAt };
    }),

  /** Candidate model versions run in shadow on this trial's studies, compared with the pinned one. */
  shadowComparisons: trialProcedure('monitor', 'admin', 'statistician').query(({ ctx }) =>
    compareShadowModels({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), trialId: ctx.trial.id }),
  ),

  startShadowEvaluation: trialProcedure('admin')
    .input(z.object({ modelId: z.uuid() }))
    .mutation(({ ctx, input }) => startShadowEvaluation({ db: ctx.db, trialId: ctx.trial.id, modelId: input.modelId, actor: ctx.actor, request: ctx.request })),

  /** Pins a candidate that ran in shadow by a signed protocol amendment; new cases use it, old ones keep theirs. */
  switchModel: trialProcedure('admin')
    .input(z.object({ modelId: z.uuid(), summary: z.string().max(2000), effectiveOn: z.iso.date(), password }))
    .mutation(async ({ ctx, input }) => {
      const amended = await switchPinnedModel({ db: ctx.db, ...input, trialId: ctx.trial.id, signer: { id: ctx.user.id, role: ctx.user.role }, request: ctx.request });
      return { version: amended.version, effectiveOn: amended.effectiveOn, modelSwitch: amended.modelSwitch };
    }),

  exportEventLog: trialProcedure('admin').mutation(async ({ ctx }) => {
    const { text, events } = await exportAiEventLog({ db: ctx.db, trialId: ctx.trial.id, actor: ctx.actor, request: ctx.request });
    return { filename: `ai-event-log-${ctx.trial.id}.jsonl`, text, events };
  }),
} satisfies TRPCRouterRecord;
