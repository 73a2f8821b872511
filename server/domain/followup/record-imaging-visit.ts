import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { allocations, imagingVisits, studies, trials } from '@/db/schema';
import type { ContentStore } from '@/imaging/storage/content-store';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import type { TrialAccess } from '../trials/trial-access';
import { classifyVisitWindow } from './classify-visit-window';
import { imagingVisitSchedule } from './imaging-visit-schedule';
import { loadVisibleParticipant } from '../trials/load-visible-participant';
import { registerToBaseline, type VisitRegistration } from './register-to-baseline';

export interface RecordImagingVisitOptions {
  readonly db: Database;
  readonly store: ContentStore;
  readonly access: TrialAccess;
  readonly participantId: string;
  readonly visitCode: string;
  /** The study acquired for the visit, or null to record the visit as missed. */
  readonly studyId: string | null;
  /** Scan date (YYYY-MM-DD); required with a study. */
  readonly scannedOn: string | null;
  readonly actor: AuditActor;
  readonly request: RequestMetadata;
  /** Today's date (YYYY-MM-DD) for "missed"; defaults to the UTC date now. */
  readonly today?: string;
}

/**
 * Assigns a participant's study to one of the design's imaging visits (or records the visit as
 * missed). The baseline comes first and dates the schedule; a follow-up's scan date is classified
 * against its window (early / in window / late) and its T1gd is registered rigidly to the
 * baseline's before anything is written (registerToBaseline: seconds of elastix, outside the
 * transaction). A scan date lies in the past, and a follow-up's on or after randomization. A missed visit can only be recorded once its window has closed. Recording a visit
 * again (a re-upload) replaces its study and date; every write is audited in its transaction.
 */
export async function recordImagingVisit(options: RecordImagingVisitOptions) {
  const { db, store, access, participantId, visitCode, studyId, scannedOn } = options;
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  await loadVisibleParticipant({ db, access, participantId });
  const [trial] = await db.select({ design: trials.design }).from(trials).where(eq(trials.id, access.trialId));
  const schedule = imagingVisitSchedule(trial?.design);
  const visit = schedule.find((v) => v.code === visitCode);
  if (!visit) throw new AppError('INVALID_INPUT', `Visit '${visitCode}' is not in the trial's imaging schedule (${schedule.map((v) => v.code).join(', ')}).`);
  if ((studyId === null) !== (scannedOn === null)) throw new AppError('INVALID_INPUT', 'A visit with a study needs its scan date; a missed visit has neither.');
  if (studyId) {
    const [study] = await db.select({ participantId: studies.participantId }).from(studies).where(eq(studies.id, studyId));
    if (study?.participantId !== participantId) throw new AppError('NOT_FOUND', 'Study not found for this participant.');
  }
  const isBaseline = visit.offsetDays === 0;
  if (isBaseline && studyId === null) throw new AppError('INVALID_INPUT', 'The baseline visit cannot be missed: it dates the schedule.');
  if (scannedOn !== null && scannedOn > today)
    throw new AppError('INVALID_INPUT', `scannedOn: ${scannedOn} is in the future (today is ${today}).`, { field: 'scannedOn', found: scannedOn, expected: `on or before ${today}` });
  if (!isBaseline && scannedOn !== null) {
    // A follow-up scan dates a possible progression: before randomization it would give a negative
    // time to event. The baseline may precede randomization (RANO's post-radiotherapy scan).
    const [allocation] = await db.select({ allocatedAt: allocations.allocatedAt }).from(allocations).where(eq(allocations.participantId, participantId));
    if (!allocation) throw new AppError('INVALID_STATE', 'Follow-up visits start after randomization: this participant is not randomized.');
    const randomizedOn = allocation.allocatedAt.toISOString().slice(0, 10);
    if (scannedOn < randomizedOn)
      throw new AppError('INVALID_INPUT', `scannedOn: the follow-up scan of ${scannedOn} is before randomization (${randomizedOn}).`, {
        field: 'scannedOn',
        found: scannedOn,
        expected: `on or after ${randomizedOn}`,
      });
  }
  const [baseline] = await db
    .select()
    .from(imagingVisits)
    .where(and(eq(imagingVisits.participantId, participantId), eq(imagingVisits.visitCode, schedule[0]!.code)));
  if (!isBaseline && !baseline?.scannedOn) throw new AppError('INVALID_STATE', 'Record the baseline visit first: it dates the follow-up windows.');
  if (studyId && baseline?.studyId === studyId && !isBaseline) throw new AppError('INVALID_INPUT', 'This study is the baseline; a follow-up needs its own study.');

  const window = classifyVisitWindow({ baselineOn: isBaseline ? scannedOn! : baseline!.scannedOn!, offsetDays: visit.offsetDays, windowDays: visit.windowDays, scannedOn, today });
  if (window.status === 'pending') throw new AppError('INVALID_STATE', `Visit '${visitCode}' is not missed yet: its window is open until ${window.dueOn} + ${visit.windowDays} days.`);
  let registration: VisitRegistration | null = null;
  if (!isBaseline && studyId) registration = await registerToBaseline({ db, store, baselineStudyId: baseline!.studyId!, followupStudyId: studyId });

  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(imagingVisits)
      .where(and(eq(imagingVisits.participantId, participantId), eq(imagingVisits.visitCode, visitCode)))
      .for('update');
    const values = {
      studyId,
      scannedOn,
      dueOn: window.dueOn,
      windowStatus: window.status as 'in_window' | 'early' | 'late' | 'missed',
      registration,
      recordedBy: options.actor.userId,
      recordedAt: new Date(),
    };
    const [row] = before
      ? await tx.update(imagingVisits).set(values).where(eq(imagingVisits.id, before.id)).returning()
      : await tx
          .insert(imagingVisits)
          .values({ trialId: access.trialId, participantId, visitCode, ...values })
          .returning();
    await writeAuditEvent({
      tx,
      actor: options.actor,
      action: 'followup.visit_recorded',
      entityType: 'imaging_visit',
      entityId: row!.id,
      trialId: access.trialId,
      before: before ? { studyId: before.studyId, scannedOn: before.scannedOn, windowStatus: before.windowStatus } : undefined,
      after: {
        participantId,
        visitCode,
        studyId,
        scannedOn,
        dueOn: window.dueOn,
        windowStatus: window.status,
        daysFromDue: window.daysFromDue,
        registration: registration && {
          source: registration.source,
          rotationDeg: registration.rotationDeg,
          centreShiftMm: registration.centreShiftMm,
          nmiAfter: registration.nmiAfter,
          problems: registration.problems,
        },
      },
      request: options.request,
    });
    return { visit: row!, window, registration };
  });
}
