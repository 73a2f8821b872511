import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { jobs, SEQUENCE_ROLES, studies, studyVolumes } from '@/db/schema';
import { SEGMENT_STUDY_JOB } from '../segmentation/segment-study-job';
import type { TrialAccess } from '../trials/trial-access';
import { loadVisibleParticipant } from '../trials/load-visible-participant';

/** Display order of the registered sequences (the MSD channel order without the fixed T1gd). */
const MOVING_ORDER = ['flair', 't1', 't2'];

interface StoredRegistration {
  readonly ok?: boolean;
  readonly nmiBefore?: number;
  readonly nmiAfter?: number;
  readonly rotationDeg?: number;
  readonly centreShiftMm?: number;
  readonly problems?: readonly string[];
  readonly source?: 'identity' | 'elastix';
  readonly alreadyAligned?: boolean;
}

/** Registration quality of one moving sequence (FLAIR, T1 or T2 onto the T1gd grid). */
export interface RegistrationQuality {
  readonly role: string;
  readonly ok: boolean;
  readonly nmiBefore: number | null;
  readonly nmiAfter: number | null;
  readonly rotationDeg: number | null;
  readonly centreShiftMm: number | null;
  /** Which transform was kept (identity when elastix did not beat it), and whether the series shared the T1gd's grid. */
  readonly source: 'identity' | 'elastix' | null;
  readonly alreadyAligned: boolean | null;
}

/**
 * The segmentation job as a coordinator may see it: status and tiles done / total. Deliberately
 * nothing else: no arm, no blinded flag, no volumes, no label map, no job result (the AI output
 * of a control-arm study must not reach anyone through this view, and shadow-mode inference runs
 * for both arms, so the status itself says nothing about the arm).
 */
export interface SegmentationJobStatus {
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly tilesDone: number;
  readonly tilesTotal: number;
  readonly attempts: number;
}

interface StoredPreprocessing {
  readonly brainExtraction?: { method?: string; version?: string; input?: string; volumeMl?: number };
  readonly layout?: { layout?: string; caseId?: string | null; corrected?: boolean };
}

/** What the coordinator is shown of a study's preprocessing: the brain extraction step and, for a case upload, its recognised layout. */
function provenanceOf(stored: unknown) {
  const p = (stored ?? {}) as StoredPreprocessing;
  const b = p.brainExtraction;
  return {
    brainExtraction: b?.method ? { method: b.method, version: b.version ?? null, input: b.input ?? null, volumeMl: b.volumeMl ?? null } : null,
    layout: p.layout?.layout ? { layout: p.layout.layout, caseId: p.layout.caseId ?? null, corrected: p.layout.corrected ?? false } : null,
  };
}

/**
 * A participant's MRI studies, newest first, with the registration quality (NMI before/after) and
 * the segmentation job's progress. NOT_FOUND for a participant outside the caller's sites.
 */
export async function listParticipantStudies({ db, access, participantId }: { db: DbOrTx; access: TrialAccess; participantId: string }) {
  const participant = await loadVisibleParticipant({ db, access, participantId });

  const rows = await db.select().from(studies).where(eq(studies.participantId, participant.id)).orderBy(desc(studies.ingestedAt));
  if (rows.length === 0) return [];
  const ids = rows.map((s) => s.id);
  const volumes = await db
    .select({ studyId: studyVolumes.studyId, role: studyVolumes.role, originalName: studyVolumes.originalName, header: studyVolumes.header })
    .from(studyVolumes)
    .where(inArray(studyVolumes.studyId, ids));
  const jobRows = await db
    .select({ studyId: sql<string>`${jobs.payload}->>'studyId'`, status: jobs.status, done: jobs.progressDone, total: jobs.progressTotal, attempts: jobs.attempts, createdAt: jobs.createdAt })
    .from(jobs)
    .where(and(eq(jobs.kind, SEGMENT_STUDY_JOB), inArray(sql<string>`${jobs.payload}->>'studyId'`, ids)))
    .orderBy(desc(jobs.createdAt));

  return rows.map((study) => {
    const registration = study.registration as Record<string, StoredRegistration>;
    const job = jobRows.find((j) => j.studyId === study.id);
    const grid = study.grid as { dims?: number[]; spacing?: number[] };
    return {
      id: study.id,
      ingestedAt: study.ingestedAt,
      grid: { dims: grid.dims ?? [], spacing: grid.spacing ?? [] },
      sequences: volumes
        .filter((v) => v.studyId === study.id)
        .sort((a, b) => SEQUENCE_ROLES.indexOf(a.role) - SEQUENCE_ROLES.indexOf(b.role))
        .map((v) => {
          const header = v.header as { format?: string; dims?: number[]; spacing?: number[]; orientation?: string };
          return { role: v.role, file: v.originalName, format: header.format ?? null, dims: header.dims ?? [], spacing: header.spacing ?? [], orientation: header.orientation ?? null };
        }),
      registration: Object.entries(registration)
        .sort(([a], [b]) => MOVING_ORDER.indexOf(a) - MOVING_ORDER.indexOf(b))
        .map(([role, r]): RegistrationQuality => ({
          role,
          ok: r.ok ?? (r.problems?.length ?? 0) === 0,
          nmiBefore: r.nmiBefore ?? null,
          nmiAfter: r.nmiAfter ?? null,
          rotationDeg: r.rotationDeg ?? null,
          centreShiftMm: r.centreShiftMm ?? null,
          source: r.source ?? null,
          alreadyAligned: r.alreadyAligned ?? null,
        })),
      provenance: provenanceOf(study.preprocessing),
      segmentationJob: job ? ({ status: job.status, tilesDone: job.done, tilesTotal: job.total, attempts: job.attempts } satisfies SegmentationJobStatus) : null,
    };
  });
}
