import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { followUpVisits } from '@/db/schema';
import { listProgressionEvents } from '../followup/list-progression-events';
import { deriveTimeToEvent, type FollowUpContact, type SurvivalOutcome } from './derive-time-to-event';

/**
 * Progression-free and overall survival of the given randomized participants (id → randomization
 * date), from their current follow-up contacts (rows nobody supersedes) and the signed RANO
 * progression events of the trial. Participants without any follow-up are absent.
 */
export async function listSurvivalOutcomes({ db, trialId, randomizedOn }: { db: DbOrTx; trialId: string; randomizedOn: ReadonlyMap<string, string> }): Promise<Map<string, SurvivalOutcome>> {
  const ids = [...randomizedOn.keys()];
  if (ids.length === 0) return new Map();
  const later = sql`not exists (select 1 from ${followUpVisits} as newer where newer.supersedes_id = ${followUpVisits.id})`;
  const rows = await db
    .select({
      participantId: followUpVisits.participantId,
      visitDate: followUpVisits.visitDate,
      deathDate: followUpVisits.deathDate,
      progressionDate: followUpVisits.progressionDate,
      progressionBasis: followUpVisits.progressionBasis,
    })
    .from(followUpVisits)
    .where(and(eq(followUpVisits.trialId, trialId), inArray(followUpVisits.participantId, ids), later));
  const contacts = new Map<string, FollowUpContact[]>();
  for (const r of rows) {
    const list = contacts.get(r.participantId);
    if (list) list.push(r);
    else contacts.set(r.participantId, [r]);
  }
  const rano = new Map((await listProgressionEvents({ db, trialId })).map((e) => [e.participantId, e.progressedOn]));
  const out = new Map<string, SurvivalOutcome>();
  for (const [id, from] of randomizedOn) {
    const derived = deriveTimeToEvent(from, contacts.get(id) ?? [], rano.get(id) ?? null);
    if (derived) out.set(id, derived);
  }
  return out;
}
