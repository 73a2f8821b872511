import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createContentStore, sha256Hex } from '@/imaging/storage/content-store';
import { BackupError } from './backup-error';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, MANIFEST_FILE, OBJECTS_DIR, type BackupManifest } from './backup-format';
import { fileDigest } from './file-digest';
import { manifestHash } from './manifest-hash';

/**
 * Reads a backup folder's manifest and checks, in this order, that it is whole: the manifest's own
 * hash, every table file's size and hash, then (unless `objects: false`) every object's presence
 * and hash. Throws a BackupError naming the first problem.
 */
export async function readBackup(dir: string, { objects = true }: { objects?: boolean } = {}): Promise<BackupManifest> {
  const root = path.resolve(dir);
  const manifestPath = path.join(root, MANIFEST_FILE);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as BackupManifest;
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing (an unfinished backup has none)' : `is not valid JSON (${(error as Error).message})`;
    throw new BackupError('MANIFEST_INVALID', manifestPath, reason);
  }
  if (manifest.format !== BACKUP_FORMAT || manifest.formatVersion !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'MANIFEST_INVALID',
      `${manifestPath} format`,
      `names format ${JSON.stringify(manifest.format ?? null)} version ${JSON.stringify(manifest.formatVersion ?? null)}; expected ${JSON.stringify(BACKUP_FORMAT)} version ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const actualHash = manifestHash(manifest);
  if (actualHash !== manifest.manifestSha256) {
    throw new BackupError('MANIFEST_INVALID', `${manifestPath} manifestSha256`, `the manifest hashes to ${actualHash} but records ${String(manifest.manifestSha256)}: it was changed after the backup`);
  }

  for (const table of manifest.tables) {
    const file = path.join(root, table.file);
    let digest;
    try {
      digest = await fileDigest(file);
    } catch {
      throw new BackupError('FILE_CORRUPT', table.file, 'is missing');
    }
    if (digest.bytes !== table.bytes || digest.sha256 !== table.sha256) {
      throw new BackupError(
        'FILE_CORRUPT',
        table.file,
        `has ${digest.bytes} bytes hashing to ${digest.sha256}; the manifest expects ${table.bytes} bytes hashing to ${table.sha256} (truncated or changed)`,
      );
    }
  }

  if (manifest.nativeDump) {
    const file = path.join(root, manifest.nativeDump.file);
    const digest = await fileDigest(file).catch(() => null);
    if (!digest || digest.bytes !== manifest.nativeDump.bytes || digest.sha256 !== manifest.nativeDump.sha256) {
      throw new BackupError(
        'FILE_CORRUPT',
        manifest.nativeDump.file,
        digest ? `has ${digest.bytes} bytes hashing to ${digest.sha256}; the manifest expects ${manifest.nativeDump.bytes} bytes hashing to ${manifest.nativeDump.sha256}` : 'is missing',
      );
    }
  }

  if (objects) {
    const store = createContentStore(path.join(root, OBJECTS_DIR));
    for (const object of manifest.objects.list) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(store.pathOf(object.sha256)));
      } catch {
        throw new BackupError('OBJECT_MISSING', path.relative(root, store.pathOf(object.sha256)), 'is listed in the manifest but missing');
      }
      const actual = sha256Hex(bytes);
      if (actual !== object.sha256 || bytes.length !== object.bytes) {
        throw new BackupError(
          'OBJECT_CORRUPT',
          path.relative(root, store.pathOf(object.sha256)),
          `has ${bytes.length} bytes hashing to ${actual}; expected ${object.bytes} bytes with that name as hash`,
        );
      }
    }
  }
  return manifest;
}
