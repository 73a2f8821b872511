/**
 * Child process of the ingest-study job (run through runIngestProcess): reads a spooled upload and
 * runs the imaging ingest into the content store. A refusal (IngestError) is answered as
 * `{ ok: false, rejection }`; anything else fails the process (and the job retries).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IngestError } from '../../imaging/ingest/errors';
import { ingestStudy, sequenceRoles, type SequenceRole } from '../../imaging/ingest/ingest';
import { sourcesFromAssignments, type SequenceSource } from '../../imaging/ingest/layout';
import { resolveLimits } from '../../imaging/ingest/limits';
import { createContentStore } from '../../imaging/storage/content-store';
import type { IngestOutcome, IngestRequest } from './run-ingest-process';
import { serveChildRequest } from './run-child-process';

async function ingest(request: IngestRequest, progress: (done: number, total: number) => void): Promise<IngestOutcome> {
  progress(0, 1);
  const read = (list: readonly { name: string; path: string }[] = []) =>
    Promise.all(list.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await readFile(path.join(request.storageRoot, f.path))) })));
  let files = {} as Record<SequenceRole, SequenceSource>;
  try {
    if (request.assignments) files = sourcesFromAssignments(await read(request.files.case), request.assignments, resolveLimits());
    else
      for (const role of sequenceRoles) {
        const list = await read(request.files[role]);
        files[role] = list.length === 1 ? list[0]! : list;
      }
    const ingested = await ingestStudy({ files, storage: createContentStore(request.storageRoot) });
    progress(1, 1);
    return { ok: true, ingested };
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    return { ok: false, rejection: { ingestCode: error.code, message: error.message, file: error.file, field: error.field, found: String(error.found), expected: error.expected } };
  }
}

serveChildRequest(ingest);
