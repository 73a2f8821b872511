import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { createContentStore } from '@/imaging/storage/content-store';
import { assertSeesAllocations } from '../../domain/enrollment/arm-visibility';
import { assertStudyInTrial } from '../../domain/pacs/assert-study-in-trial';
import { describePacsStudy } from '../../domain/pacs/describe-pacs-study';
import { pacsClientFromEnv, requirePacsClient } from '../../domain/pacs/pacs-client-from-env';
import { getPacsRetrieve } from '../../domain/pacs/get-pacs-retrieve';
import { listExportableResults } from '../../domain/pacs/list-exportable-results';
import { listPacsRetrieves } from '../../domain/pacs/list-pacs-retrieves';
import { queuePacsRetrieve } from '../../domain/pacs/queue-pacs-retrieve';
import { searchPacsStudies } from '../../domain/pacs/search-pacs-studies';
import { sendResults } from '../../domain/pacs/send-results';
import { env } from '../../env';
import { AppError } from '../../errors';
import { roleProcedure, trialProcedure } from '../../trpc';

const uid = z.string().regex(/^[0-9.]{1,64}$/, 'a DICOM UID');
const resultSource = z.discriminatedUnion('kind', [z.object({ kind: z.literal('ai'), segmentationId: z.uuid() }), z.object({ kind: z.literal('clinician'), segmentationReviewId: z.uuid() })]);

export const pacsRouter = {
  /** Whether a PACS is configured (the page shows the PACS search only then). */
  status: roleProcedure('coordinator', 'admin', 'statistician').query(() => ({ configured: pacsClientFromEnv() !== null, sendsResults: env().SEGTRIAL_PACS_SEND_RESULTS === '1' })),

  /** QIDO-RS study search by patient ID, accession number or date. Coordinators (who know their patients) and admins. */
  search: trialProcedure('coordinator', 'admin')
    .input(z.object({ patientId: z.string().max(64).optional(), accessionNumber: z.string().max(64).optional(), studyDate: z.string().max(17).optional() }))
    .query(({ input }) => searchPacsStudies({ client: requirePacsClient(), query: input })),

  /** A study's series with descriptions, counts and the suggested FLAIR/T1/T1gd/T2 mapping. */
  describe: trialProcedure('coordinator', 'admin')
    .input(z.object({ studyInstanceUid: uid }))
    .query(({ input }) => describePacsStudy({ client: requirePacsClient(), studyInstanceUid: input.studyInstanceUid })),

  /**
   * Queues the retrieve of the confirmed series and their ingest for a participant (the
   * retrieve-pacs-study job) and answers at once; poll retrieveStatus with the job id.
   */
  retrieve: trialProcedure('coordinator', 'admin')
    .input(
      z.object({
        participantId: z.uuid(),
        studyInstanceUid: uid,
        series: z.object({ flair: uid, t1: uid, t1gd: uid, t2: uid }),
        expectedInstances: z.number().int().positive().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      queuePacsRetrieve({
        db: ctx.db,
        access: ctx.access,
        participantId: input.participantId,
        studyInstanceUid: input.studyInstanceUid,
        series: input.series,
        expectedInstances: input.expectedInstances ?? null,
        pacsConfigured: pacsClientFromEnv() !== null,
        actor: ctx.actor,
        request: ctx.request,
      }),
    ),

  /** A queued retrieve's progress (state, instances, retries, refusal), for the user who asked for it. */
  retrieveStatus: roleProcedure('coordinator', 'admin')
    .input(z.object({ jobId: z.uuid() }))
    .query(({ ctx, input }) => getPacsRetrieve({ db: ctx.db, jobId: input.jobId, userId: ctx.user.id })),

  /** A participant's PACS retrieves, newest first (the panel resumes a running one after a reload). */
  retrievals: trialProcedure('coordinator', 'admin')
    .input(z.object({ participantId: z.uuid() }))
    .query(({ ctx, input }) => listPacsRetrieves({ db: ctx.db, access: ctx.access, participantId: input.participantId })),

  /** The trial's PACS studies and the results that can leave as DICOM SEG + SR (statisticians who see arms, admins). */
  results: trialProcedure('statistician', 'admin').query(({ ctx }) => {
    assertSeesAllocations(ctx.user.role, ctx.design, ctx.access);
    return listExportableResults({ db: ctx.db, trialId: ctx.trial.id });
  }),

  /**
   * A result as DICOM SEG + TID 1500 SR (base64), for statisticians (and admins) who see arms; or, with
   * `send`, stored in the PACS (STOW-RS). An AI result of a control-arm case is withheld while the
   * trial is blinded, whatever the configuration.
   */
  exportResult: trialProcedure('statistician', 'admin')
    .input(z.object({ studyId: z.uuid(), source: resultSource, send: z.boolean().default(false) }))
    .mutation(async ({ ctx, input }) => {
      assertSeesAllocations(ctx.user.role, ctx.design, ctx.access);
      await assertStudyInTrial({ db: ctx.db, trialId: ctx.trial.id, studyId: input.studyId });
      if (input.send && env().SEGTRIAL_PACS_SEND_RESULTS !== '1') throw new AppError('INVALID_STATE', 'Sending results to the PACS is switched off (SEGTRIAL_PACS_SEND_RESULTS=0).');
      const objects = await sendResults({
        db: ctx.db,
        store: createContentStore(env().SEGTRIAL_STORAGE_ROOT),
        client: requirePacsClient(),
        source: input.source,
        target: input.send ? 'pacs' : 'download',
        actor: ctx.actor,
        request: ctx.request,
      });
      if (objects.studyId !== input.studyId) throw new AppError('NOT_FOUND', 'Result not found for this study.');
      return {
        sent: input.send,
        seg: { sopInstanceUid: objects.seg.sopInstanceUid, base64: input.send ? null : Buffer.from(objects.seg.bytes).toString('base64') },
        sr: { sopInstanceUid: objects.sr.sopInstanceUid, base64: input.send ? null : Buffer.from(objects.sr.bytes).toString('base64'), volumesMl: objects.sr.volumesMl },
      };
    }),
} satisfies TRPCRouterRecord;
