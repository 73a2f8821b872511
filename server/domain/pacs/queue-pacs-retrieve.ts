import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { jobs, pacsStudySources, studies } from '@/db/schema';
import { sequenceRoles, type SequenceRole } from '@/imaging/ingest/ingest';
import { AppError } from '../../errors';
import { enqueueJob } from '../../jobs/queue';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

export const RETRIEVE_PACS_STUDY_JOB = 'retrieve-pacs-study';
export const NO_PACS_CONFIGURED = 'No PACS is configured (SEGTRIAL_PACS_URL).';

export interface RetrievePacsStudyPayload {
  readonly retrieveId: string;
  readonly trialId: string;
  readonly participantId: string;
  readonly studyInstanceUid: string;
  readonly series: Readonly<Record<SequenceRole, string>>;
  /** Instances the four series hold according to the PACS (for a percentage), when known. */
  readonly expectedInstances: number | null;
  /** The coordinator who asked: the audit rows name them, and only they follow its progress. */
  readonly requestedBy: string;
}

/**
 * Queues the retrieve of a PACS study's confirmed series for a participant (the
 * 'retrieve-pacs-study' job: WADO-RS, the DICOM checks, then ingest as an upload is ingested), with
 * its audit row, and returns at once. Refused while a retrieve for the participant is queued or
 * running, and when this study was already retrieved for them (a second copy would be a second
 * baseline). A PACS that is down is found by the job, which retries with backoff.
 */
export async function queuePacsRetrieve({
  db,
  access,
  participantId,
  studyInstanceUid,
  series,
  expectedInstances,
  pacsConfigured,
  actor,
  request,
}: {
  db: Database;
  access: TrialAccess;
  participantId: string;
  studyInstanceUid: string;
  series: Readonly<Record<SequenceRole, string>>;
  expectedInstances: number | null;
  /** Whether the platform has a PACS to retrieve from; the job itself opens the connection. */
  pacsConfigured: boolean;
  actor: AuditActor & { userId: string };
  request: RequestMetadata;
}): Promise<{ jobId: string }> {
  const uids = sequenceRoles.map((r) => series[r]);
  if (uids.some((u) => !u) || new Set(uids).size !== uids.length) throw new AppError('INVALID_INPUT', 'Choose a different series for each of FLAIR, T1, T1gd and T2.');
  await loadVisibleParticipant({ db, access, participantId });
  // After the participant's checks: another trial's or site's participant is NOT_FOUND whatever the configuration.
  if (!pacsConfigured) throw new AppError('INVALID_STATE', NO_PACS_CONFIGURED);
  return db.transaction(async (tx) => {
    const running = await tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.kind, RETRIEVE_PACS_STUDY_JOB), inArray(jobs.status, ['queued', 'running']), sql`${jobs.payload}->>'participantId' = ${participantId}`));
    if (running.length > 0) throw new AppError('INVALID_STATE', 'A retrieve for this participant is already queued or running.');
    const done = await tx
      .select({ studyId: pacsStudySources.studyId })
      .from(pacsStudySources)
      .innerJoin(studies, eq(studies.id, pacsStudySources.studyId))
      .where(and(eq(studies.participantId, participantId), eq(pacsStudySources.studyInstanceUid, studyInstanceUid)));
    if (done.length > 0) throw new AppError('INVALID_STATE', 'This PACS study was already retrieved for this participant.');
    const payload: RetrievePacsStudyPayload = {
      retrieveId: randomUUID(),
      trialId: access.trialId,
      participantId,
      studyInstanceUid,
      series: { ...series },
      expectedInstances,
      requestedBy: actor.userId,
    };
    const job = await enqueueJob(tx, { kind: RETRIEVE_PACS_STUDY_JOB, key: `${RETRIEVE_PACS_STUDY_JOB}:${payload.retrieveId}`, payload, maxAttempts: 4 });
    await writeAuditEvent({
      tx,
      actor,
      action: 'pacs.retrieve_queued',
      entityType: 'participant',
      entityId: participantId,
      trialId: access.trialId,
      after: { jobId: job.id, studyInstanceUid, series, expectedInstances },
      request,
    });
    return { jobId: job.id };
  });
}
