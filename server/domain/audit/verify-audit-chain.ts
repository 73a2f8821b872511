import { asc, gt } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { auditLog } from '@/db/schema';
import { AUDIT_GENESIS_HASH, computeAuditHash } from './audit-hash';

export type AuditChainReport =
  | { readonly ok: true; readonly rowsChecked: number; readonly headHash: string }
  | {
      readonly ok: false;
      readonly rowsChecked: number;
      /** The first row whose stored hashes do not match its content or its predecessor. */
      readonly firstBadRowId: number;
      readonly reason: 'content_changed' | 'chain_broken';
    };

/**
 * Walks the audit log in id order, recomputing each row's hash from its content and the previous
 * row's hash. Reads in pages so a long log does not load into memory at once.
 */
export async function verifyAuditChain({ db, pageSize = 2000 }: { db: DbOrTx; pageSize?: number }): Promise<AuditChainReport> {
  let expectedPrev = AUDIT_GENESIS_HASH;
  let lastId = 0;
  let checked = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, lastId)).orderBy(asc(auditLog.id)).limit(pageSize);
    if (page.length === 0) return { ok: true, rowsChecked: checked, headHash: expectedPrev };
    for (const row of page) {
      if (row.prevHash !== expectedPrev) {
        return { ok: false, rowsChecked: checked, firstBadRowId: row.id, reason: 'chain_broken' };
      }
      if (computeAuditHash(row) !== row.hash) {
        return { ok: false, rowsChecked: checked, firstBadRowId: row.id, reason: 'content_changed' };
      }
      expectedPrev = row.hash;
      lastId = row.id;
      checked++;
    }
  }
}
