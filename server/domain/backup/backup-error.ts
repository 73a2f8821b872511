/**
 * A backup that cannot be made, trusted or restored. `code` says what kind of problem, `subject`
 * names the file, table, object or field, and the message says what was found and what was expected.
 */
export type BackupErrorCode =
  | 'OUTPUT_NOT_EMPTY'
  | 'MANIFEST_INVALID'
  | 'FILE_CORRUPT'
  | 'OBJECT_MISSING'
  | 'OBJECT_CORRUPT'
  | 'SCHEMA_UNKNOWN'
  | 'TARGET_NOT_EMPTY'
  | 'ROW_COUNT_MISMATCH'
  | 'AUDIT_CHAIN_BROKEN'
  | 'INVARIANT_VIOLATED';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    readonly subject: string,
    message: string,
  ) {
    super(`${subject}: ${message}`);
    this.name = 'BackupError';
  }
}
