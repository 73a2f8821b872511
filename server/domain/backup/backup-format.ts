/**
 * The on-disk layout of a SegTrial backup folder, version 1:
 *
 *   postgres.dump             PostgreSQL sources only: pg_dump's archive of the same snapshot
 *   manifest.json             what is in the folder (BackupManifest), with its own SHA-256
 *   db/<table>.jsonl.gz       one table per file, one row per line as PostgreSQL's row_to_json wrote it
 *   objects/sha256/ab/<hex>   the content-store objects the database references (same layout as the store)
 *   verification.json         written by `segtrial backup verify` (VerificationRecord); not hashed
 *
 * Why a logical, driver-neutral format rather than PGlite's data-directory tarball or pg_dump's
 * archive: both drivers are PostgreSQL underneath, so PostgreSQL itself renders every value to JSON
 * (row_to_json) and parses it back (json_populate_recordset) with the same type rules on either side;
 * the schema is not in the dump at all but comes from our own migrations, which run unchanged on
 * both. One format therefore restores into PGlite or PostgreSQL alike, which is also the way from the
 * embedded database to a server. A PGlite data directory (PostgreSQL 17 internals) cannot be read by
 * a PostgreSQL 15 server, and a pg_dump archive cannot be restored into PGlite (no pg_restore).
 */
export const BACKUP_FORMAT = 'segtrial-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const VERIFICATION_FILE = 'verification.json';
export const OBJECTS_DIR = 'objects';

export interface BackupTable {
  readonly name: string;
  /** Relative to the backup folder. */
  readonly file: string;
  readonly rows: number;
  /** Size and SHA-256 of the compressed file as written. */
  readonly bytes: number;
  readonly sha256: string;
  /** Foreign keys from this table to itself: rows must be loaded parents first. */
  readonly selfReferences: readonly { readonly columns: readonly string[]; readonly refColumns: readonly string[] }[];
}

export interface BackupManifest {
  readonly format: typeof BACKUP_FORMAT;
  readonly formatVersion: typeof BACKUP_FORMAT_VERSION;
  /**
   * Taken just before the snapshot's first statement: every transaction that committed before this
   * instant is in the backup.
   */
  readonly snapshotStartedAt: string;
  readonly finishedAt: string;
  readonly source: { readonly driver: 'pglite' | 'postgres'; readonly serverVersion: string };
  /** The last applied migration (db/migrations/meta/_journal.json tag) and its timestamp. */
  readonly schema: { readonly lastMigration: string; readonly migrationMillis: number; readonly migrationsApplied: number };
  /** In load order: a table comes after every table it references. */
  readonly tables: readonly BackupTable[];
  /** Sequence positions (text, as bigint may exceed 2^53); null when never used. */
  readonly sequences: readonly { readonly name: string; readonly lastValue: string | null }[];
  readonly audit: { readonly rows: number; readonly headHash: string; readonly lastId: number | null };
  readonly objects: {
    readonly count: number;
    readonly bytes: number;
    /** Objects hard-linked from the base backup rather than copied from the store. */
    readonly reused: number;
    readonly base: string | null;
    readonly list: readonly { readonly sha256: string; readonly bytes: number }[];
  };
  /**
   * PostgreSQL only, when pg_dump is installed: a native archive (`pg_dump --format=custom`) of the
   * very same snapshot (`--snapshot`), for `pg_restore` into a PostgreSQL server of the same major
   * version. Checked by its hash; restore and verify use the driver-neutral files.
   */
  readonly nativeDump: { readonly file: string; readonly bytes: number; readonly sha256: string; readonly tool: string } | null;
  /** SHA-256 of the canonical JSON of every other field. */
  readonly manifestSha256: string;
}

export type UnsignedManifest = Omit<BackupManifest, 'manifestSha256'>;

/** What `backup verify` leaves in the folder; the admin page reads the newest one. */
export interface VerificationRecord {
  readonly verifiedAt: string;
  readonly ok: boolean;
  readonly manifestSha256: string | null;
  readonly snapshotStartedAt: string | null;
  readonly problem: string | null;
}
