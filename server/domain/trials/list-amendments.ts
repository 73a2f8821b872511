import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { electronicSignatures, protocolAmendments, users } from '@/db/schema';
import { describeDesignChanges } from './describe-design-changes';

/**
 * A trial's protocol amendments, newest first: version, summary, effective date, what changed in
 * words, and the electronic signature (who, when, meaning, hash of the signed content).
 */
export async function listAmendments({ db, trialId }: { db: DbOrTx; trialId: string }) {
  const rows = await db
    .select({ amendment: protocolAmendments, by: users.displayName, signature: electronicSignatures })
    .from(protocolAmendments)
    .innerJoin(users, eq(users.id, protocolAmendments.createdBy))
    .innerJoin(electronicSignatures, eq(electronicSignatures.id, protocolAmendments.signatureId))
    .where(eq(protocolAmendments.trialId, trialId))
    .orderBy(desc(protocolAmendments.version));
  return rows.map(({ amendment: a, by, signature: s }) => ({
    id: a.id,
    version: a.version,
    summary: a.summary,
    effectiveOn: a.effectiveOn,
    createdAt: a.createdAt,
    by,
    changes: describeDesignChanges(a.previousDesign as never, a.design as never),
    signature: { signerName: s.signerName, signerUsername: s.signerUsername, signedAt: s.signedAt, meaning: s.meaning, contentSha256: s.contentSha256 },
  }));
}
