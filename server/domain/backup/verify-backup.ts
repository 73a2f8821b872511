/**
 * Verifies a backup folder end to end: the manifest's hash, every table file's and object's hash
 * (read-backup.ts), then a restore of the rows into a scratch in-memory PGlite database, checked by
 * check-restored-database.ts (rows identical to the backup, audit chain and its head, one
 * allocation per participant). The result is returned and written to the folder's
 * verification.json, where the admin page finds the last verified backup.
 */
import { writeFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '@/db/client';
import { BackupError } from './backup-error';
import { VERIFICATION_FILE, type BackupManifest, type VerificationRecord } from './backup-format';
import { checkRestoredDatabase } from './check-restored-database';
import { loadBackupIntoDatabase } from './load-backup-into-database';
import { migrateToVersion } from './migrate-to-version';
import { readBackup } from './read-backup';

export type VerifyResult =
  | { readonly ok: true; readonly manifest: BackupManifest; readonly auditRows: number; readonly record: VerificationRecord }
  | { readonly ok: false; readonly code: string; readonly problem: string; readonly record: VerificationRecord };

export async function verifyBackup({ dir, now = () => new Date() }: { dir: string; now?: () => Date }): Promise<VerifyResult> {
  const root = path.resolve(dir);
  let manifest: BackupManifest | undefined;
  let result: VerifyResult;
  try {
    manifest = await readBackup(root);
    const scratch = await openDatabase({ driver: 'pglite' });
    try {
      await migrateToVersion(scratch.db, manifest.schema.lastMigration);
      const loaded = await loadBackupIntoDatabase({ db: scratch.db, dir: root, manifest });
      const { auditRows } = await checkRestoredDatabase({ db: scratch.db, manifest, loaded });
      result = { ok: true, manifest, auditRows, record: record(now(), true, manifest, null) };
    } finally {
      await scratch.close();
    }
  } catch (error) {
    const code = error instanceof BackupError ? error.code : 'RESTORE_FAILED';
    const problem = error instanceof Error ? error.message : String(error);
    result = { ok: false, code, problem, record: record(now(), false, manifest, `${code}: ${problem}`) };
  }
  const tmp = path.join(root, `.${VERIFICATION_FILE}.tmp`);
  await writeFile(tmp, `${JSON.stringify(result.record, null, 2)}\n`)
    .then(() => rename(tmp, path.join(root, VERIFICATION_FILE)))
    .catch(() => {
      // A read-only backup folder can still be verified; only the record for the admin page is lost.
    });
  return result;
}

function record(at: Date, ok: boolean, manifest: BackupManifest | undefined, problem: string | null): VerificationRecord {
  return { verifiedAt: at.toISOString(), ok, manifestSha256: manifest?.manifestSha256 ?? null, snapshotStartedAt: manifest?.snapshotStartedAt ?? null, problem };
}
