import path from 'node:path';
import { z } from 'zod';

/**
 * The only place that reads process.env. Everything configurable about SegTrial is here, validated
 * once; a wrong value stops start-up with a message naming the variable.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** PostgreSQL connection string. When unset, the embedded PGlite database is used. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** Folder of the embedded database (PGlite). */
  SEGTRIAL_DATA_DIR: z.string().default(path.join(process.cwd(), '.data', 'pglite')),
  /** Folder where uploaded and derived volumes are stored (content-addressed). */
  SEGTRIAL_STORAGE_ROOT: z.string().default(path.join(process.cwd(), '.data', 'storage')),
  /** When set, demo accounts get this password instead of random ones (tests and demos). */
  SEGTRIAL_DEMO_PASSWORD: z.string().min(12).optional(),
  /** Set to 0 to start with an empty database (no demo trial). */
  SEGTRIAL_DEMO: z.enum(['0', '1']).default('1'),
  /**
   * The demo trial's synthetic patients (server/demo/seed-demo-cases.ts), on first start:
   * 'full' enrolls and randomizes them and then, in the background, ingests their MRI studies (queued
   * for segmentation) and records follow-up outcomes; 'enroll' only enrolls and randomizes (fast: the
   * end-to-end server uses it); 'none' creates no patients. Default 'full', but 'none' under
   * NODE_ENV=test so tests that seed the demo start from an empty trial.
   */
  SEGTRIAL_DEMO_CASES: z.enum(['full', 'enroll', 'none']).optional(),
  /** Session lifetime, absolute and idle, in minutes. */
  SEGTRIAL_SESSION_MAX_MINUTES: z.coerce
    .number()
    .int()
    .positive()
    .default(12 * 60),
  SEGTRIAL_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(60),
  /** Run the inference job worker inside the app process (needed on the embedded database). */
  SEGTRIAL_INPROCESS_WORKER: z.enum(['0', '1']).default('1'),
  /** Execution providers to try in order, e.g. "cuda,webgpu,cpu"; CPU is always the last resort. */
  SEGTRIAL_EXECUTION_PROVIDERS: z
    .string()
    .regex(/^(cuda|webgpu|cpu)(,(cuda|webgpu|cpu))*$/)
    .default('cuda,webgpu,cpu'),
  /** onnxruntime intra-op threads per inference process (0: one per physical core). */
  SEGTRIAL_INFERENCE_THREADS: z.coerce.number().int().min(0).max(256).default(0),
  /** Mirroring test-time augmentation for trial inference (8× the compute). */
  SEGTRIAL_TTA: z.enum(['0', '1']).default('0'),
  /**
   * Login attempts per minute from one client address (see SEGTRIAL_TRUSTED_PROXIES for how the
   * address is found). On top of the per-account lockout. 0 disables.
   */
  SEGTRIAL_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(30),
  /**
   * How many reverse proxies in front of SegTrial append to X-Forwarded-For (0: none, the default).
   * With 0, X-Forwarded-Host and -Proto are ignored and the client address is the header's last
   * entry (the one Next.js fills from the connection); with N, the N-th entry from the right, and a
   * client's own X-Forwarded-* headers cannot choose its address, host or scheme.
   */
  SEGTRIAL_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  /** Study uploads per minute per user. 0 disables. */
  SEGTRIAL_UPLOAD_RATE_PER_MINUTE: z.coerce.number().int().min(0).default(10),
  /** Largest study upload (the whole multipart request), in MiB; larger ones get 413 before being read. */
  SEGTRIAL_UPLOAD_MAX_MB: z.coerce.number().int().positive().max(16_384).default(1024),
  /**
   * The hospital PACS's DICOMweb root (QIDO-RS, WADO-RS, STOW-RS), e.g. https://pacs.example/dicom-web.
   * Unset: no PACS (coordinators upload files). `SEGTRIAL_PACS=demo` with `npm start` starts a local
   * Orthanc with the demo patients' studies and sets this (docs/pacs.md).
   */
  SEGTRIAL_PACS_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** HTTP basic credentials for the PACS, if it needs them. */
  SEGTRIAL_PACS_USERNAME: z.string().optional(),
  SEGTRIAL_PACS_PASSWORD: z.string().optional(),
  /** How long one PACS request may take before it counts as unavailable (ms; a retrieve's time between bytes). */
  SEGTRIAL_PACS_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Send SEG and SR objects back to the PACS (STOW-RS) when a result is signed or computed; blinding still applies. */
  SEGTRIAL_PACS_SEND_RESULTS: z.enum(['0', '1']).default('1'),
  /** Benchmarks only: a JSON file that the bare reference route (/api/bench/plain) serves. Unset: 404. */
  SEGTRIAL_BENCH_FIXTURE: z.string().optional(),
  /**
   * Folder whose subfolders are backups (`segtrial backup create --out $SEGTRIAL_BACKUP_DIR/<stamp>`):
   * the admin page shows the newest verified one from here. Unset: the page says none is configured.
   */
  SEGTRIAL_BACKUP_DIR: z.string().optional(),
  /** The admin page warns when the last verified backup's snapshot is older than this (hours). */
  SEGTRIAL_BACKUP_MAX_AGE_HOURS: z.coerce.number().positive().default(26),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid configuration: ${problems}`);
    }
    cached = parsed.data;
  }
  return cached;
}
