import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { studyUploads } from '@/db/schema';
import { sequenceRoles, type SequenceRole } from '@/imaging/ingest/ingest';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { assertSiteVisible, type TrialAccess } from '../trials/trial-access';
import { queueStudyIngest } from './queue-study-ingest';
import type { UploadMapping } from './recognize-case-upload';

export interface ConfirmedAssignment {
  readonly role: SequenceRole;
  readonly file: string;
  readonly channel?: number;
}

const sameSource = (a: { file: string; channel?: number }, b: { file: string; channel?: number }) => a.file === b.file && (a.channel ?? null) === (b.channel ?? null);

/**
 * The coordinator confirms which file (or 4D channel) of an uploaded case is which sequence, as
 * recognised or corrected, and the ingest job is queued, in one transaction with the audit row
 * (before: the recognised assignments; after: the confirmed ones). A correction may only choose among
 * the upload's candidates, each once, one per sequence. NOT_FOUND for an upload outside the caller's
 * trial or sites; INVALID_STATE unless it is waiting for confirmation.
 */
export async function confirmUploadMapping({
  db,
  access,
  uploadId,
  assignments,
  actor,
  request,
}: {
  db: Database;
  access: TrialAccess;
  uploadId: string;
  assignments: readonly ConfirmedAssignment[];
  actor: AuditActor;
  request: RequestMetadata;
}): Promise<{ uploadId: string; jobId: string; corrected: boolean }> {
  return db.transaction(async (tx) => {
    const [upload] = await tx
      .select()
      .from(studyUploads)
      .where(and(eq(studyUploads.id, uploadId), eq(studyUploads.trialId, access.trialId)))
      .for('update');
    if (!upload) throw new AppError('NOT_FOUND', 'Upload not found.');
    assertSiteVisible(access, upload.siteId, 'Upload');
    const mapping = upload.mapping as UploadMapping | null;
    if (!mapping) throw new AppError('INVALID_STATE', 'This upload named its sequences by hand: there is no mapping to confirm.');
    if (upload.status !== 'awaiting_confirmation') throw new AppError('INVALID_STATE', `This upload is ${upload.status.replace('_', ' ')}, not waiting for confirmation.`);

    for (const role of sequenceRoles) {
      const n = assignments.filter((a) => a.role === role).length;
      if (n !== 1) throw new AppError('INVALID_INPUT', `${role}: ${n === 0 ? 'no source chosen' : `${n} sources chosen`}; choose one for each of ${sequenceRoles.join(', ')}.`, { field: role });
    }
    for (const a of assignments) {
      if (!mapping.candidates.some((c) => sameSource(c, a)))
        throw new AppError('INVALID_INPUT', `${a.role}: ${a.file}${a.channel !== undefined ? ` channel ${a.channel}` : ''} is not a file of this upload.`, { field: a.role });
      const twice = assignments.find((b) => b !== a && sameSource(a, b));
      if (twice)
        throw new AppError('INVALID_INPUT', `${a.file}${a.channel !== undefined ? ` channel ${a.channel}` : ''} is chosen for both ${a.role} and ${twice.role}; each sequence needs its own.`, {
          field: a.role,
        });
    }
    let corrected = false;
    const confirmed = sequenceRoles.map((role) => {
      const chosen = assignments.find((a) => a.role === role)!;
      const recognised = mapping.assignments.find((a) => a.role === role);
      if (recognised && sameSource(recognised, chosen)) return recognised;
      corrected = true;
      return { role, file: chosen.file, ...(chosen.channel !== undefined ? { channel: chosen.channel } : {}), because: 'assigned by the coordinator' };
    });
    const next: UploadMapping = { ...mapping, assignments: confirmed, confirmedBy: actor.userId ?? undefined, confirmedAt: new Date().toISOString(), corrected };
    await tx.update(studyUploads).set({ mapping: next }).where(eq(studyUploads.id, upload.id));
    const job = await queueStudyIngest({ tx, uploadId: upload.id });
    const brief = (list: readonly ConfirmedAssignment[]) => list.map((a) => ({ role: a.role, file: a.file, ...(a.channel !== undefined ? { channel: a.channel } : {}) }));
    await writeAuditEvent({
      tx,
      actor,
      action: 'study.mapping_confirmed',
      entityType: 'participant',
      entityId: upload.participantId,
      trialId: upload.trialId,
      before: { uploadId: upload.id, layout: mapping.layout, assignments: brief(mapping.assignments) },
      after: { uploadId: upload.id, assignments: brief(confirmed), corrected, ingestJob: job.id },
      request,
    });
    return { uploadId: upload.id, jobId: job.id, corrected };
  });
}
