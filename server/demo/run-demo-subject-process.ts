import type { Covariates, Outcome } from '../../imaging/cohort/covariates';
import type { IngestResult } from '../../imaging/ingest/ingest';
import { runChildProcess } from '../jobs/run-child-process';
import type { DemoSubjectRequest } from './demo-subject-process';

export interface DemoSubjectResult {
  readonly ingested: IngestResult;
  readonly record: { readonly covariates: Covariates; readonly outcome: Outcome; readonly tumorKind: string | null };
}

/**
 * Generates and ingests one demo subject in a child process (demo-subject-process.ts), by default at
 * the lowest CPU priority (niceness 19), so that the app keeps answering while the demo's studies
 * are prepared on first start.
 */
export function runDemoSubjectProcess(request: DemoSubjectRequest, { niceness = 19 }: { niceness?: number } = {}): Promise<DemoSubjectResult> {
  return runChildProcess({ entry: 'server/demo/demo-subject-process.ts', request, niceness, label: 'demo subject process' });
}
