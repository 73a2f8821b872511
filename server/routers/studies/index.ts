import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { listParticipantStudies } from '../../domain/imaging/list-participant-studies';
import { listParticipantUploads } from '../../domain/imaging/list-participant-uploads';
import { confirmUploadMapping } from '../../domain/imaging/confirm-upload-mapping';
import { discardStudyUpload } from '../../domain/imaging/discard-study-upload';
import { createContentStore } from '@/imaging/storage/content-store';
import { sequenceRoles } from '@/imaging/ingest/ingest';
import { env } from '../../env';
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

  /**
   * The coordinator confirms (or corrects, among the upload's files and 4D channels) which is which
   * sequence of an uploaded case; the ingest job is queued. Coordinators only (they upload).
   */
  confirmUpload: trialProcedure('coordinator')
    .input(
      z.object({
        uploadId: z.uuid(),
        assignments: z
          .array(z.object({ role: z.enum(sequenceRoles), file: z.string().min(1).max(1000), channel: z.number().int().min(0).max(63).optional() }))
          .min(1)
          .max(8),
      }),
    )
    .mutation(({ ctx, input }) =>
      confirmUploadMapping({ db: ctx.db, access: ctx.access, uploadId: input.uploadId, assignments: input.assignments, actor: { userId: ctx.user.id, role: ctx.user.role }, request: ctx.request }),
    ),

  /** The coordinator discards an upload still waiting for confirmation (its files go; nothing is ingested). */
  discardUpload: trialProcedure('coordinator')
    .input(z.object({ uploadId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      discardStudyUpload({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        access: ctx.access,
        uploadId: input.uploadId,
        actor: { userId: ctx.user.id, role: ctx.user.role },
        request: ctx.request,
      }),
    ),
} satisfies TRPCRouterRecord;
