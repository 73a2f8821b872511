import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { auditLog, trials } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type AuditActor, type RequestMetadata } from '../audit/write-audit-event';
import { verifyAuditChain } from '../audit/verify-audit-chain';

/** The audit actions that make up the AI's event log, and what each means in the log. */
export const AI_EVENT_TYPES = {
  'model.registered': 'model_registered',
  'trial.model_pinned': 'model_pinned',
  'model.shadow_evaluation_started': 'shadow_evaluation_started',
  'segmentation.created': 'model_run',
  'ai.output_displayed': 'output_displayed',
  'review.segmentation_reviewed': 'output_reviewed',
  'ai.suspended': 'ai_suspended',
  'ai.resumed': 'ai_resumed',
  'ai.unavailable_for_case': 'case_without_ai',
  'oversight.alert_raised': 'oversight_alert',
  'oversight.alert_acknowledged': 'oversight_alert_acknowledged',
} as const;

/**
 * How long the platform keeps the log, stated in the file itself. The AI Act (Art. 19(1)) asks at
 * least six months of a high-risk system's logs; a trial's essential records are kept far longer
 * (ICH E6(R3) and national law; EU CTR Art. 58: 25 years after the trial's end), and the log is part
 * of them, so it goes with the trial master file.
 */
export const AI_EVENT_LOG_RETENTION =
  'Kept with the trial master file for the retention period of the trial (EU Clinical Trials Regulation Art. 58: at least 25 years after the end of the trial), which exceeds the six months of EU AI Act Art. 19(1). The audit log it is drawn from is append-only and never pruned.';

/**
 * The AI's event log of one trial as self-describing JSON Lines (EU AI Act Art. 12): a header line
 * (format, trial, retention, the meaning of each event type, the audit chain head it was checked
 * against) and one line per event — model runs, displays of AI output, accept/edit/reject, suspensions
 * and resumptions, cases reviewed without AI, oversight alerts — each carrying the id and hash of
 * the audit row it comes from, so an inspector can check every line against the exported audit trail
 * offline. The whole chain is verified first: a broken chain refuses the export (INVALID_STATE, naming the first bad row) rather
 * than hand out a log that cannot be trusted. The export itself is audited.
 */
export async function exportAiEventLog({
  db,
  trialId,
  actor,
  request,
  now = new Date(),
}: {
  db: Database;
  trialId: string;
  actor: AuditActor;
  request: RequestMetadata;
  now?: Date;
}): Promise<{ text: string; events: number }> {
  const [trial] = await db.select({ id: trials.id, slug: trials.slug, name: trials.name }).from(trials).where(eq(trials.id, trialId));
  if (!trial) throw new AppError('NOT_FOUND', 'Trial not found.');
  const chain = await verifyAuditChain({ db });
  if (!chain.ok) throw new AppError('INVALID_STATE', `The audit chain does not verify from row ${chain.firstBadRowId} (${chain.reason}): the AI event log is not exported.`);
  const actions = Object.keys(AI_EVENT_TYPES) as (keyof typeof AI_EVENT_TYPES)[];
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.trialId, trialId), inArray(auditLog.action, actions)))
    .orderBy(asc(auditLog.id));
  // model.registered rows carry no trial: the log names the models this trial's runs used.
  const [head] = await db.select({ id: auditLog.id, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
  const header = {
    type: 'header',
    format: 'segtrial-ai-event-log',
    formatVersion: 1,
    trial,
    exportedAt: now.toISOString(),
    retention: AI_EVENT_LOG_RETENTION,
    auditChain: { verified: true, headId: head?.id ?? null, headHash: head?.hash ?? null },
    eventTypes: {
      model_registered: 'a model version was registered (name, version, weights hash, card)',
      model_pinned: 'the trial pinned a model version at go-live',
      shadow_evaluation_started: "a candidate model version was run in shadow on the trial's studies (never shown), for comparison with the pinned one",
      model_run: 'the model segmented a study (blinded: shadow-mode result of a control-arm case, never shown)',
      output_displayed: 'a clinician was shown the AI output of a case (once per reader and result)',
      output_reviewed: 'a clinician accepted, edited or rejected the AI output',
      ai_suspended: 'an admin suspended the AI for the trial or a site (signed, with reason)',
      ai_resumed: 'an admin resumed the AI (signed, with reason)',
      case_without_ai: 'an assisted-arm case was reviewed while the AI was suspended (protocol deviation)',
      oversight_alert: 'a control chart of the AI oversight dashboard crossed its limit',
      oversight_alert_acknowledged: 'a monitor or admin acknowledged an oversight alert',
    },
    fields: 'type, at (UTC), auditId and auditHash (the audit row the event comes from), actorRole, entityType, entityId, details (the audit row after-image)',
    events: rows.length,
  };
  const lines = [JSON.stringify(header)];
  for (const row of rows) {
    lines.push(
      JSON.stringify({
        type: AI_EVENT_TYPES[row.action as keyof typeof AI_EVENT_TYPES],
        at: row.occurredAt.toISOString(),
        auditId: row.id,
        auditHash: row.hash,
        actorRole: row.actorRole,
        entityType: row.entityType,
        entityId: row.entityId,
        details: row.after,
      }),
    );
  }
  await db.transaction((tx) =>
    writeAuditEvent({
      tx,
      actor,
      action: 'ai.event_log_exported',
      entityType: 'trial',
      entityId: trialId,
      trialId,
      after: { events: rows.length, auditHeadId: head?.id ?? null, auditHeadHash: head?.hash ?? null },
      request,
    }),
  );
  return { text: `${lines.join('\n')}\n`, events: rows.length };
}
