import { findLastVerifiedBackup } from '@/server/domain/backup/find-last-verified-backup';
import { env } from '@/server/env';

function age(hours: number): string {
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

/**
 * The last verified backup (server component; the page around it is admin-only). It reads the
 * backup folders' manifests and verification records under SEGTRIAL_BACKUP_DIR, and warns when
 * none passed verification within SEGTRIAL_BACKUP_MAX_AGE_HOURS (docs/operations.md).
 */
export async function BackupStatus() {
  const config = env();
  if (!config.SEGTRIAL_BACKUP_DIR) {
    return (
      <section className="panel" aria-label="Backups">
        <h2>Backups</h2>
        <p>
          <span className="badge warn">not configured</span> Set <code>SEGTRIAL_BACKUP_DIR</code> to the folder your scheduled <code>segtrial backup</code> runs write to.
        </p>
      </section>
    );
  }
  const status = await findLastVerifiedBackup({ backupDir: config.SEGTRIAL_BACKUP_DIR, maxAgeHours: config.SEGTRIAL_BACKUP_MAX_AGE_HOURS });
  return (
    <section className="panel" aria-label="Backups">
      <h2>Backups</h2>
      {status.lastVerified ? (
        <p>
          <span className={`badge ${status.stale ? 'warn' : 'ok'}`}>{status.stale ? 'too old' : 'verified'}</span> last verified backup <code>{status.lastVerified.folder}</code>: snapshot{' '}
          {status.lastVerified.snapshotStartedAt.replace('T', ' ').slice(0, 16)} UTC, {age(status.lastVerified.ageHours)} ago
          {status.stale ? ` (older than ${status.maxAgeHours} h)` : ''}
        </p>
      ) : (
        <p>
          <span className="badge bad">none</span> no verified backup in <code>{status.backupDir}</code>
        </p>
      )}
      {status.newerProblem && (
        <p>
          <span className="badge bad">check</span> newer backup <code>{status.newerProblem.folder}</code>: {status.newerProblem.problem}
        </p>
      )}
    </section>
  );
}
