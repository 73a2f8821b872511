import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MANIFEST_FILE, VERIFICATION_FILE, type BackupManifest, type VerificationRecord } from './backup-format';

export interface BackupStatusReport {
  readonly backupDir: string;
  /** The newest backup (by snapshot time) that `backup verify` passed, if any. */
  readonly lastVerified: { readonly folder: string; readonly snapshotStartedAt: string; readonly verifiedAt: string; readonly ageHours: number } | null;
  /** The newest backup, when it is newer than the last verified one and failed or was not verified. */
  readonly newerProblem: { readonly folder: string; readonly snapshotStartedAt: string; readonly problem: string } | null;
  readonly maxAgeHours: number;
  /** No verified backup, or the last verified one is older than `maxAgeHours`. */
  readonly stale: boolean;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * Scans the subfolders of `backupDir` for backups and their verification records. A verification
 * counts only for the manifest it verified (same manifestSha256), so replacing a folder's contents
 * does not inherit an old pass. Reads only manifests and records, never objects: cheap enough for
 * a page view.
 */
export async function findLastVerifiedBackup({ backupDir, maxAgeHours, now = new Date() }: { backupDir: string; maxAgeHours: number; now?: Date }): Promise<BackupStatusReport> {
  let folders: string[] = [];
  try {
    folders = (await readdir(backupDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    // Not there yet: no backups.
  }
  const backups: { folder: string; manifest: BackupManifest; record: VerificationRecord | null }[] = [];
  for (const folder of folders) {
    const manifest = await readJson<BackupManifest>(path.join(backupDir, folder, MANIFEST_FILE));
    if (!manifest?.snapshotStartedAt) continue;
    const record = await readJson<VerificationRecord>(path.join(backupDir, folder, VERIFICATION_FILE));
    backups.push({ folder, manifest, record: record?.manifestSha256 === manifest.manifestSha256 ? record : null });
  }
  backups.sort((a, b) => b.manifest.snapshotStartedAt.localeCompare(a.manifest.snapshotStartedAt));
  const verified = backups.find((b) => b.record?.ok);
  const newest = backups[0];
  const lastVerified = verified
    ? {
        folder: verified.folder,
        snapshotStartedAt: verified.manifest.snapshotStartedAt,
        verifiedAt: verified.record!.verifiedAt,
        ageHours: (now.getTime() - Date.parse(verified.manifest.snapshotStartedAt)) / 3_600_000,
      }
    : null;
  const newerProblem = newest && newest !== verified ? { folder: newest.folder, snapshotStartedAt: newest.manifest.snapshotStartedAt, problem: newest.record?.problem ?? 'not verified yet' } : null;
  return { backupDir, lastVerified, newerProblem, maxAgeHours, stale: !lastVerified || lastVerified.ageHours > maxAgeHours };
}
