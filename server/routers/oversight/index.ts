import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { AI_AVAILABILITY_ACTIONS } from '../../../db/schema';
import { createContentStore } from '../../../imaging/storage/content-store';
import { loadAiAvailability, setAiAvailability } from '../../domain/oversight/ai-availability';
import { exportAiEventLog } from '../../domain/oversight/export-ai-event-log';
import { computeOversightDashboard } from '../../domain/oversight/compute-oversight-dashboard';
import { acknowledgeOversightAlert, listOversightAlerts } from '../../domain/oversight/record-oversight-alerts';
import { compareShadowModels, startShadowEvaluation } from '../../domain/oversight/shadow-model-evaluation';
import { switchPinnedModel } from '../../domain/oversight/switch-pinned-model';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { env } from '../../env';
import { roleProcedure } from '../../trpc';

const trialInput = z.object({ trialId: z.uuid() });

/**
 * Oversight of the AI while the trial runs: control charts per site (monitors, admins and
 * statisticians; pooled over arms, so no role learns an arm from them), alerts with their
 * acknowledgement, the stop switch (admins, signed), candidate model versions run in shadow and
 * compared with the pinned one, and the AI event log (admins: its model-run lines say which results
 * were shadow-mode, i.e. the arm).
 */
export const oversightRouter = {
  dashboard: roleProcedure('monitor', 'admin', 'statistician')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const dashboard = await computeOversightDashboard({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), access, request: ctx.request });
      const [alerts, availability] = await Promise.all([listOversightAlerts({ db: ctx.db, access }), loadAiAvailability(ctx.db, input.trialId)]);
      return { dashboard, alerts, availability };
    }),

  acknowledgeAlert: roleProcedure('monitor', 'admin')
    .input(trialInput.extend({ alertId: z.uuid(), comment: z.string().max(2000) }))
    .mutation(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return acknowledgeOversightAlert({ db: ctx.db, access, alertId: input.alertId, comment: input.comment, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request });
    }),

  availability: roleProcedure('monitor', 'admin', 'statistician', 'coordinator')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return loadAiAvailability(ctx.db, input.trialId);
    }),

  setAvailability: roleProcedure('admin')
    .input(trialInput.extend({ siteId: z.uuid().nullable(), action: z.enum(AI_AVAILABILITY_ACTIONS), reason: z.string().max(2000), password: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const event = await setAiAvailability({
        db: ctx.db,
        trialId: input.trialId,
        siteId: input.siteId,
        action: input.action,
        reason: input.reason,
        password: input.password,
        signer: { id: ctx.user.id, role: ctx.user.role },
        request: ctx.request,
      });
      return { id: event.id, action: event.action, recordedAt: event.recordedAt };
    }),

  /** Candidate model versions run in shadow on this trial's studies, compared with the pinned one. */
  shadowComparisons: roleProcedure('monitor', 'admin', 'statistician')
    .input(trialInput)
    .query(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return compareShadowModels({ db: ctx.db, store: createContentStore(env().SEGTRIAL_STORAGE_ROOT), trialId: input.trialId });
    }),

  startShadowEvaluation: roleProcedure('admin')
    .input(trialInput.extend({ modelId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return startShadowEvaluation({ db: ctx.db, trialId: input.trialId, modelId: input.modelId, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request });
    }),

  /** Pins a candidate that ran in shadow by a signed protocol amendment; new cases use it, old ones keep theirs. */
  switchModel: roleProcedure('admin')
    .input(trialInput.extend({ modelId: z.uuid(), summary: z.string().max(2000), effectiveOn: z.iso.date(), password: z.string().min(1).max(1024) }))
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const amended = await switchPinnedModel({ db: ctx.db, ...input, signer: { id: ctx.user.id, role: ctx.user.role }, request: ctx.request });
      return { version: amended.version, effectiveOn: amended.effectiveOn, modelSwitch: amended.modelSwitch };
    }),

  exportEventLog: roleProcedure('admin')
    .input(trialInput)
    .mutation(async ({ ctx, input }) => {
      await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      const { text, events } = await exportAiEventLog({ db: ctx.db, trialId: input.trialId, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request });
      return { filename: `ai-event-log-${input.trialId}.jsonl`, text, events };
    }),
} satisfies TRPCRouterRecord;
