import { IngestError } from '@/imaging/ingest/errors';
import { recognizeStudyLayout, type SequenceAssignment, type SequenceCandidate, type StudyLayout } from '@/imaging/ingest/layout';
import { resolveLimits } from '@/imaging/ingest/limits';
import { AppError } from '../../errors';

/**
 * How an uploaded case was recognised, as kept in study_uploads.mapping and shown to the coordinator:
 * which file (or 4D channel) was taken for which sequence and why, what was ignored, and what else
 * could be chosen. `confirmedBy`/`confirmedAt` once confirmed; `corrected` when the coordinator
 * changed an assignment (the changed ones say so in `because`).
 */
export interface UploadMapping {
  readonly layout: StudyLayout;
  readonly caseId: string | null;
  readonly assignments: readonly SequenceAssignment[];
  readonly ignored: readonly string[];
  readonly candidates: readonly SequenceCandidate[];
  readonly confirmedBy?: string;
  readonly confirmedAt?: string;
  readonly corrected?: boolean;
}

/**
 * Recognises the layout of a case upload (a folder, a 4D NIfTI with an optional dataset.json, a zip)
 * from its bytes, before anything is stored. A layout refused (two cases, a 4D file with three
 * channels, a name that says no sequence…) is INVALID_INPUT with the ingest code, file, field, value
 * found and expected, as ingest refusals are.
 */
export function recognizeCaseUpload(files: readonly { name: string; bytes: Uint8Array }[]): UploadMapping {
  try {
    const { layout, caseId, assignments, ignored, candidates } = recognizeStudyLayout(files, resolveLimits());
    return { layout, caseId, assignments, ignored, candidates };
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    throw new AppError('INVALID_INPUT', error.message, { ingestCode: error.code, file: error.file, field: error.field, found: String(error.found), expected: error.expected });
  }
}
