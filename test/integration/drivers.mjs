// Which database driver each integration file runs on (docs/testing.md, "Which driver runs what").
// `npm test` runs the integration suite twice: on PGlite (the `integration` step) and on a real
// PostgreSQL server (the `postgres` step). A file runs on both unless it is named below; a file named
// here still runs in the other step, so nothing leaves the suite. scripts/test.mjs reads these lists
// and fails when one names a file that does not exist.

/**
 * PGlite only. Their cost is imaging (ingest, registration, inference, DICOM, a PACS) and their
 * database use is ordinary reads and writes through the same domain code and schema that the
 * database-semantic files check on both drivers: none of them tests a transaction, a lock, a trigger,
 * a constraint, raw SQL or concurrency. The upload → ingest → segmentation path on PostgreSQL is still
 * exercised end to end by the reliability step (worker-kill, access) and by review, oversight and
 * follow-up here, which run on both.
 */
export const PGLITE_ONLY = [
  'test/integration/ingest-layouts.test.ts', // `segtrial segment` on files: no database at all
  'test/integration/segment-dicom.test.ts', // `segtrial segment` on DICOM folders: no database at all
  'test/integration/case-upload.test.ts', // layout recognition and the confirm step before ingest
  'test/integration/study-upload-job.test.ts', // upload route stores and queues; ingest in its child process
  'test/integration/imaging-pipeline.test.ts', // upload → ingest → queued inference
  'test/integration/pacs.test.ts', // DICOMweb against a real Orthanc
  'test/integration/analytics-imaging.test.ts', // segmentation metrics against reference label maps
  'test/integration/demo-cases.test.ts', // the demo's background ingest of generated studies
  'test/integration/demo-followup.test.ts', // the demo's generated, ingested follow-up studies
  'test/integration/trial-conduct.test.ts', // server-side edit checks of the reader's form
];

/**
 * PostgreSQL step only: files that use both drivers themselves whatever DATABASE_URL says, so a
 * second run in the PGlite step would repeat the same work (backup-postgres starts its own
 * PostgreSQL server when DATABASE_URL is unset).
 */
export const POSTGRES_STEP_ONLY = [
  'test/integration/backup-postgres.test.ts', // PGlite → PostgreSQL → PGlite backup and restore
];
