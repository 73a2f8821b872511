import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { verifyAuditChain } from '../audit/verify-audit-chain';
import { BackupError } from './backup-error';
import type { BackupManifest } from './backup-format';
import { setRenderingSettings } from './rendering-settings';
import { RowSetDigest } from './row-set-digest';
import { quoteIdent, sqlRows } from './sql-rows';

/**
 * Checks a database just restored from `manifest` (before any later migration runs), throwing a
 * BackupError for the first problem:
 * - every table holds exactly the rows of its backup file, value for value (each row rendered
 *   again by PostgreSQL and compared as a set): signed decisions, signatures and allocations
 *   included, so a signed record cannot have changed on the way;
 * - the audit hash chain verifies and ends at the head the manifest recorded;
 * - one allocation per participant, and a participant is 'randomized' exactly when it has one.
 */
export async function checkRestoredDatabase({ db, manifest, loaded }: { db: Database; manifest: BackupManifest; loaded: ReadonlyMap<string, RowSetDigest> }): Promise<{ auditRows: number }> {
  await db.transaction(async (tx) => {
    await setRenderingSettings(tx);
    for (const table of manifest.tables) {
      const digest = new RowSetDigest();
      // A cursor, so a large table is compared without holding it in memory.
      await tx.execute(sql.raw(`declare segtrial_check no scroll cursor for select row_to_json(t)::text as line from ${quoteIdent(table.name)} t`));
      for (;;) {
        const rows = await sqlRows<{ line: string }>(tx, sql.raw('fetch forward 1000 from segtrial_check'));
        if (rows.length === 0) break;
        for (const { line } of rows) digest.add(line);
      }
      await tx.execute(sql.raw('close segtrial_check'));
      const expected = loaded.get(table.name);
      if (digest.count !== table.rows) throw new BackupError('ROW_COUNT_MISMATCH', `table ${table.name}`, `restored ${digest.count} rows; the manifest says ${table.rows}`);
      if (expected && digest.hex() !== expected.hex()) throw new BackupError('INVARIANT_VIOLATED', `table ${table.name}`, 'the restored rows differ from the rows in the backup file');
    }
  });

  const chain = await verifyAuditChain({ db });
  if (!chain.ok) throw new BackupError('AUDIT_CHAIN_BROKEN', `audit_log row ${chain.firstBadRowId}`, `${chain.reason.replace('_', ' ')} after ${chain.rowsChecked} verified rows`);
  if (chain.rowsChecked !== manifest.audit.rows || (chain.rowsChecked > 0 && chain.headHash !== manifest.audit.headHash)) {
    throw new BackupError(
      'AUDIT_CHAIN_BROKEN',
      'audit_log head',
      `the chain ends after ${chain.rowsChecked} rows at ${chain.headHash}; the manifest recorded ${manifest.audit.rows} rows ending at ${manifest.audit.headHash}`,
    );
  }

  const [doubled] = await sqlRows<{ participant_id: string; n: string }>(db, sql`select participant_id, count(*)::text as n from allocations group by participant_id having count(*) > 1 limit 1`);
  if (doubled) throw new BackupError('INVARIANT_VIOLATED', `participant ${doubled.participant_id}`, `has ${doubled.n} allocations; a participant is randomized at most once`);
  const [mismatch] = await sqlRows<{ id: string; status: string; allocated: boolean }>(
    db,
    sql`select p.id, p.status, (a.id is not null) as allocated from participants p left join allocations a on a.participant_id = p.id
        where (p.status = 'randomized') <> (a.id is not null) limit 1`,
  );
  if (mismatch) throw new BackupError('INVARIANT_VIOLATED', `participant ${mismatch.id}`, `has status '${mismatch.status}' but ${mismatch.allocated ? 'an' : 'no'} allocation`);
  return { auditRows: chain.rowsChecked };
}
