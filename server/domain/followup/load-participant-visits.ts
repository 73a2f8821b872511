import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { imagingVisits, trials } from '@/db/schema';
import { classifyVisitWindow } from './classify-visit-window';
import { imagingVisitSchedule } from './imaging-visit-schedule';
import type { VisitRegistration } from './register-to-baseline';

export interface ParticipantVisit {
  readonly visitCode: string;
  readonly label: string;
  readonly offsetDays: number;
  readonly windowDays: number;
  /** Null until the baseline is scanned (it dates the schedule). */
  readonly dueOn: string | null;
  readonly visitId: string | null;
  readonly studyId: string | null;
  readonly scannedOn: string | null;
  /** Recorded status, or for a visit not recorded yet 'pending' / 'missed' (its window has closed). */
  readonly status: 'in_window' | 'early' | 'late' | 'missed' | 'pending';
  readonly registration: VisitRegistration | null;
}

/**
 * A participant's imaging visits in schedule order: the design's visits joined with what was
 * recorded. A visit nobody recorded whose window closed before `today` shows as missed, so the
 * coordinator's list flags it without anyone having to mark it. No access checks: callers check.
 */
export async function loadParticipantVisits({ db, trialId, participantId, today }: { db: DbOrTx; trialId: string; participantId: string; today?: string }): Promise<ParticipantVisit[]> {
  const day = today ?? new Date().toISOString().slice(0, 10);
  const [trial] = await db.select({ design: trials.design }).from(trials).where(eq(trials.id, trialId));
  const schedule = imagingVisitSchedule(trial?.design);
  const rows = await db.select().from(imagingVisits).where(eq(imagingVisits.participantId, participantId));
  const baselineOn = rows.find((r) => r.visitCode === schedule[0]!.code)?.scannedOn ?? null;
  return schedule.map((v) => {
    const row = rows.find((r) => r.visitCode === v.code);
    const computed = baselineOn ? classifyVisitWindow({ baselineOn, offsetDays: v.offsetDays, windowDays: v.windowDays, scannedOn: row?.scannedOn ?? null, today: day }) : null;
    return {
      visitCode: v.code,
      label: v.label,
      offsetDays: v.offsetDays,
      windowDays: v.windowDays,
      dueOn: row?.dueOn ?? computed?.dueOn ?? null,
      visitId: row?.id ?? null,
      studyId: row?.studyId ?? null,
      scannedOn: row?.scannedOn ?? null,
      status: row?.windowStatus ?? computed?.status ?? 'pending',
      registration: (row?.registration as VisitRegistration | null) ?? null,
    };
  });
}
