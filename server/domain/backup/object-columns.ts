/**
 * Columns whose value names a content-store object (SHA-256 of its bytes). These objects must be in
 * a backup: a missing one fails it. Other 64-hex strings anywhere in the database (derived volumes
 * named in audit details, for example) are taken along when the store has them.
 */
export const OBJECT_COLUMNS: readonly { readonly table: string; readonly column: string }[] = [
  { table: 'study_volumes', column: 'sha256' },
  { table: 'study_volumes', column: 'original_sha256' },
  { table: 'models', column: 'sha256' },
  { table: 'segmentations', column: 'labels_sha256' },
  { table: 'segmentation_reviews', column: 'edited_labels_sha256' },
  { table: 'participant_outcomes', column: 'reference_labels_sha256' },
];
