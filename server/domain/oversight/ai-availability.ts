import { and, asc, eq } from 'drizzle-orm';
import type { Database, DbOrTx } from '@/db/client';
import { aiAvailabilityEvents, sites, users, type AiAvailabilityAction } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { writeElectronicSignature } from '../review/write-electronic-signature';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { AI_RESUMPTION_MEANING, AI_SUSPENSION_MEANING } from './ai-switch-meaning';

export interface AiAvailabilityState {
  /** Whether the whole trial is suspended. */
  readonly trialSuspended: boolean;
  /** Sites suspended on their own (the trial's suspension covers every site besides). */
  readonly suspendedSiteIds: readonly string[];
  /** Every suspend/resume event in time order, for the record. */
  readonly history: readonly {
    readonly id: string;
    readonly siteId: string | null;
    readonly siteCode: string | null;
    readonly action: AiAvailabilityAction;
    readonly reason: string;
    readonly by: string;
    readonly at: Date;
  }[];
}

/** The current state of the stop switch of a trial: the latest event of each scope decides it. */
export async function loadAiAvailability(db: DbOrTx, trialId: string): Promise<AiAvailabilityState> {
  const rows = await db
    .select({ event: aiAvailabilityEvents, siteCode: sites.code, by: users.displayName })
    .from(aiAvailabilityEvents)
    .leftJoin(sites, eq(sites.id, aiAvailabilityEvents.siteId))
    .innerJoin(users, eq(users.id, aiAvailabilityEvents.recordedBy))
    .where(eq(aiAvailabilityEvents.trialId, trialId))
    .orderBy(asc(aiAvailabilityEvents.recordedAt));
  const latest = new Map<string, AiAvailabilityAction>();
  for (const { event } of rows) latest.set(event.siteId ?? 'trial', event.action);
  return {
    trialSuspended: latest.get('trial') === 'suspended',
    suspendedSiteIds: [...latest].filter(([scope, action]) => scope !== 'trial' && action === 'suspended').map(([scope]) => scope),
    history: rows.map(({ event, siteCode, by }) => ({ id: event.id, siteId: event.siteId, siteCode, action: event.action, reason: event.reason, by, at: event.recordedAt })),
  };
}

/** Whether the AI is suspended for a case at this site of this trial (the trial's or the site's switch). */
export async function isAiSuspended(db: DbOrTx, trialId: string, siteId: string): Promise<boolean> {
  const state = await loadAiAvailability(db, trialId);
  return state.trialSuspended || state.suspendedSiteIds.includes(siteId);
}

export interface SetAiAvailabilityOptions {
  readonly db: Database;
  readonly trialId: string;
  /** null: the whole trial. */
  readonly siteId: string | null;
  readonly action: AiAvailabilityAction;
  readonly reason: string;
  readonly password: string;
  readonly signer: { readonly id: string; readonly role: string };
  readonly request: RequestMetadata;
}

/**
 * The stop switch (EU AI Act Art. 14(4)(e)): an admin suspends or resumes the AI for a trial or one
 * of its sites, with a reason and an electronic signature (password re-entered; failures count toward
 * the lockout). Suspending what is already suspended, or resuming what is not, is refused
 * (INVALID_STATE), so the record has no empty events. Signature, event and audit row in one transaction.
 */
export async function setAiAvailability(options: SetAiAvailabilityOptions) {
  const { db, trialId, siteId, action, request } = options;
  const reason = options.reason.trim();
  if (reason.length < 10) throw new AppError('INVALID_INPUT', 'State the reason (at least 10 characters).', { field: 'reason' });
  let siteCode: string | null = null;
  if (siteId) {
    const [site] = await db
      .select({ code: sites.code })
      .from(sites)
      .where(and(eq(sites.id, siteId), eq(sites.trialId, trialId)));
    if (!site) throw new AppError('NOT_FOUND', 'Site not found.');
    siteCode = site.code;
  }
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: siteId ?? trialId, trialId, request });
  const meaning = action === 'suspended' ? AI_SUSPENSION_MEANING : AI_RESUMPTION_MEANING;
  return db.transaction(async (tx) => {
    const state = await loadAiAvailability(tx, trialId);
    const suspendedNow = siteId ? state.suspendedSiteIds.includes(siteId) : state.trialSuspended;
    if ((action === 'suspended') === suspendedNow) {
      throw new AppError('INVALID_STATE', `The AI is already ${suspendedNow ? 'suspended' : 'available'} for ${siteCode ? `site ${siteCode}` : 'this trial'}.`);
    }
    const signedAt = new Date();
    const signature = await writeElectronicSignature({ tx, signer, meaning, signedAt, content: { trialId, siteId, action, reason } });
    const [event] = await tx.insert(aiAvailabilityEvents).values({ trialId, siteId, action, reason, signatureId: signature.id, recordedBy: signer.id, recordedAt: signedAt }).returning();
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: action === 'suspended' ? 'ai.suspended' : 'ai.resumed',
      entityType: siteId ? 'site' : 'trial',
      entityId: siteId ?? trialId,
      trialId,
      before: { suspended: suspendedNow },
      after: {
        suspended: action === 'suspended',
        scope: siteCode ?? 'trial',
        reason,
        eventId: event!.id,
        signatureId: signature.id,
        signerName: signer.displayName,
        meaning,
        contentSha256: signature.contentSha256,
        signedAt: signedAt.toISOString(),
      },
      request,
    });
    return event!;
  });
}
