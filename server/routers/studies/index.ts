import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listParticipantStudies } from '../../domain/imaging/list-participant-studies';
import { listParticipantUploads } from '../../domain/imaging/list-participant-uploads';
import { trialProcedure } from '../../trpc';

export const studiesRouter = {
  /**
   * A participant's MRI studies with registration quality and the segmentation job's progress.
   * Coordinators (who upload) and admins only; it never carries the arm or any AI output.
   */
  listForParticipant: trialProcedure('coordinator', 'admin')
    .input(z.object({ participantId: z.uuid() }))
    .query(({ ctx, input }) => listParticipantStudies({ db: ctx.db, access: ctx.access, participantId: input.participantId })),

  /**
   * A participant's uploads that are not (yet) a study: awaiting confirmation, being ingested (the
   * ingest job's progress), or refused with the reason. Same roles as listForParticipant.
   */
  uploadsForParticipant: trialProcedure('coordinator', 'admin')
    .input(z.object({ participantId: z.uuid() }))
    .query(({ ctx, input }) => listParticipantUploads({ db: ctx.db, access: ctx.access, participantId: input.participantId })),
} satisfies TRPCRouterRecord;
