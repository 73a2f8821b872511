import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLastVerifiedBackup } from './find-last-verified-backup';

function backup(root: string, folder: string, snapshotStartedAt: string, verification?: { ok: boolean; problem?: string; sameManifest?: boolean }) {
  const dir = path.join(root, folder);
  mkdirSync(dir);
  const manifestSha256 = `m-${folder}`;
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ snapshotStartedAt, manifestSha256 }));
  if (verification) {
    writeFileSync(
      path.join(dir, 'verification.json'),
      JSON.stringify({ verifiedAt: snapshotStartedAt, ok: verification.ok, problem: verification.problem ?? null, manifestSha256: verification.sameManifest === false ? 'other' : manifestSha256 }),
    );
  }
}

const now = new Date('2026-12-02T12:00:00Z');

describe('findLastVerifiedBackup', () => {
  it('picks the newest verified backup and reports a newer one that failed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'segtrial-backup-status-'));
    backup(root, 'a', '2026-12-01T02:00:00.000Z', { ok: true });
    backup(root, 'b', '2026-12-02T02:00:00.000Z', { ok: true });
    backup(root, 'c', '2026-12-02T10:00:00.000Z', { ok: false, problem: 'OBJECT_CORRUPT: objects/sha256/ab/…' });
    mkdirSync(path.join(root, 'unfinished'));
    const status = await findLastVerifiedBackup({ backupDir: root, maxAgeHours: 26, now });
    expect(status.lastVerified).toMatchObject({ folder: 'b', ageHours: 10 });
    expect(status.newerProblem).toMatchObject({ folder: 'c', problem: expect.stringContaining('OBJECT_CORRUPT') });
    expect(status.stale).toBe(false);
  });

  it('is stale when the last verified backup is older than the limit, or none is verified', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'segtrial-backup-status-'));
    backup(root, 'old', '2026-11-30T12:00:00.000Z', { ok: true });
    backup(root, 'replaced', '2026-12-02T11:00:00.000Z', { ok: true, sameManifest: false });
    const status = await findLastVerifiedBackup({ backupDir: root, maxAgeHours: 26, now });
    expect(status).toMatchObject({ stale: true, lastVerified: { folder: 'old', ageHours: 48 }, newerProblem: { folder: 'replaced', problem: 'not verified yet' } });
    expect(await findLastVerifiedBackup({ backupDir: path.join(root, 'missing'), maxAgeHours: 26, now })).toMatchObject({ stale: true, lastVerified: null, newerProblem: null });
  });
});
