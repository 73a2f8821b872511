import { desc, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { analysisPlans, electronicSignatures } from '@/db/schema';
import { AppError } from '../../errors';
import { writeAuditEvent, type RequestMetadata } from '../audit/write-audit-event';
import { signedContentSha256 } from '../review/signature-meaning';
import { verifySignaturePassword } from '../review/verify-signature-password';
import { loadTrial } from '../trials/load-trial';
import { analysisPlanContentSchema } from './analysis-plan-content';

export const ANALYSIS_PLAN_SIGNATURE_MEANING =
  'I approve this statistical analysis plan as the analysis of this trial. By signing I lock it before any unblinded look: it cannot be changed, only followed by a signed amendment with a reason; analyses outside it are exploratory.';

export interface LockAnalysisPlanOptions {
  readonly db: Database;
  readonly trialId: string;
  readonly content: unknown;
  /** Required from version 2 on: why the plan is amended. */
  readonly amendmentReason: string | null;
  readonly password: string;
  readonly signer: { readonly id: string; readonly role: string };
  readonly request: RequestMetadata;
  readonly now?: Date;
}

/**
 * Locks a version of the analysis plan: the content is validated, the signer re-enters their
 * password (failures count toward the lockout), and in one transaction the signature manifest (the
 * SHA-256 of the canonical content), the version row and the audit event are written. Version 1
 * needs no reason; an amendment does. Locking the same content as the current version again is
 * refused (nothing would change).
 */
export async function lockAnalysisPlan(options: LockAnalysisPlanOptions) {
  const { db, request } = options;
  const parsed = analysisPlanContentSchema.safeParse(options.content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('INVALID_INPUT', `Analysis plan field ${issue.path.join('.') || '(root)'}: ${issue.message}.`, { field: issue.path.join('.') });
  }
  const content = parsed.data;
  const contentSha256 = signedContentSha256(content);
  const reason = options.amendmentReason?.trim() || null;
  await loadTrial(db, options.trialId);
  const signer = await verifySignaturePassword({ db, userId: options.signer.id, password: options.password, entityId: options.trialId, trialId: options.trialId, request, now: options.now });
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    // The trial row lock serialises two statisticians locking at once (one version number each).
    await loadTrial(tx, options.trialId, { forUpdate: true });
    const [previous] = await tx.select().from(analysisPlans).where(eq(analysisPlans.trialId, options.trialId)).orderBy(desc(analysisPlans.version)).limit(1);
    if (previous && previous.contentSha256 === contentSha256) throw new AppError('INVALID_STATE', `Version ${previous.version} of the analysis plan already has this content.`);
    if (previous && (!reason || reason.length < 10))
      throw new AppError('INVALID_INPUT', 'An amendment of a locked analysis plan needs a reason (at least 10 characters).', { field: 'amendmentReason' });
    const version = (previous?.version ?? 0) + 1;
    const [signature] = await tx
      .insert(electronicSignatures)
      .values({ signerId: signer.id, signerName: signer.displayName, signerUsername: signer.username, meaning: ANALYSIS_PLAN_SIGNATURE_MEANING, contentSha256, signedAt: now })
      .returning();
    const [plan] = await tx
      .insert(analysisPlans)
      .values({ trialId: options.trialId, version, content, contentSha256, amendmentReason: previous ? reason : null, signatureId: signature!.id, lockedBy: signer.id, lockedAt: now })
      .returning();
    await writeAuditEvent({
      tx,
      actor: { userId: signer.id, role: signer.role },
      action: previous ? 'analysis_plan.amended' : 'analysis_plan.locked',
      entityType: 'analysis_plan',
      entityId: plan!.id,
      trialId: options.trialId,
      before: previous ? { version: previous.version, contentSha256: previous.contentSha256 } : null,
      after: { version, contentSha256, content, signatureId: signature!.id, signerName: signer.displayName, meaning: ANALYSIS_PLAN_SIGNATURE_MEANING, ...(previous ? { reason } : {}) },
      request,
    });
    return { id: plan!.id, version, contentSha256, lockedAt: now.toISOString() };
  });
}
