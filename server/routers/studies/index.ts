import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listParticipantStudies } from '../../domain/imaging/list-participant-studies';
import { listParticipantUploads } from '../../domain/imaging/list-participant-uploads';
import { resolveTrialAccess } from '../../domain/trials/trial-access';
import { roleProcedure } from '../../trpc';

export const studiesRouter = {
  /**
   * A participant's MRI studies with registration quality and the segmentation job's progress.
   * Coordinators (who upload) and admins only; it never carries the arm or any AI output.
   */
  listForParticipant: roleProcedure('coordinator', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listParticipantStudies({ db: ctx.db, access, participantId: input.participantId });
    }),

  /**
   * A participant's uploads that are not (yet) a study: awaiting confirmation, being ingested (the
   * ingest job's progress), or refused with the reason. Same roles as listForParticipant.
   */
  uploadsForParticipant: roleProcedure('coordinator', 'admin')
    .input(z.object({ trialId: z.uuid(), participantId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const access = await resolveTrialAccess({ db: ctx.db, user: ctx.user, trialId: input.trialId });
      return listParticipantUploads({ db: ctx.db, access, participantId: input.participantId });
    }),
} satisfies TRPCRouterRecord;
