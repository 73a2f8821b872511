import type { IngestResult, SequenceRole } from '../../imaging/ingest/ingest';
import { runChildProcess } from './run-child-process';

/** One uploaded file, as spooled by storeStudyUpload. */
export interface SpooledFile {
  /** The name it was uploaded under (named in rejections). */
  readonly name: string;
  /** Where its bytes are, under the storage root. */
  readonly path: string;
  readonly bytes: number;
}

export interface IngestRequest {
  readonly storageRoot: string;
  /** Per sequence role; or, with `assignments`, the files of a recognised case under `case`. */
  readonly files: Readonly<Partial<Record<SequenceRole | 'case', readonly SpooledFile[]>>>;
  /** The confirmed mapping of a case upload: which file (or 4D channel) is which sequence. */
  readonly assignments?: readonly { readonly role: SequenceRole; readonly file: string; readonly channel?: number }[];
}

/** Why ingest refused the study: the IngestError's code and what it names. */
export interface IngestRejection {
  readonly ingestCode: string;
  readonly message: string;
  readonly file?: string;
  readonly field?: string;
  readonly found?: string;
  readonly expected?: string;
}

export type IngestOutcome = { readonly ok: true; readonly ingested: IngestResult } | { readonly ok: false; readonly rejection: IngestRejection };

/**
 * Ingests a spooled upload in a child process (server/jobs/ingest-process.ts): validation,
 * de-identification, co-registration and storage (about 10 s of CPU) off the server's event loop.
 * A refused study is an answer (`ok: false`), not an error.
 */
export function runIngestProcess(request: IngestRequest, options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<IngestOutcome> {
  return runChildProcess({ entry: 'server/jobs/ingest-process.ts', request, label: 'ingest process', ...options });
}
