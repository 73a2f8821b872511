import { randomUUID } from 'node:crypto';
import { AppError } from '../../errors';
import type { RetrieveProgress } from './retrieve-pacs-study';

/**
 * Retrieves running in this server process, so the page can show progress while WADO-RS streams
 * and ingest runs (minutes for a large study). In memory on purpose: a retrieve leaves nothing
 * behind until it has fully succeeded, so a restart loses only the progress display, and the
 * coordinator retries. Finished tasks are kept for an hour for the page to read their outcome.
 */
export interface RetrieveTask {
  readonly id: string;
  readonly userId: string;
  readonly participantId: string;
  progress: RetrieveProgress;
  /** Instances the four series hold according to the PACS (for a percentage), when known. */
  expectedInstances: number | null;
  studyId: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  finishedAt: number | null;
}

const tasks = new Map<string, RetrieveTask>();
const KEEP_MS = 60 * 60 * 1000;

export function startRetrieveTask(options: {
  userId: string;
  participantId: string;
  expectedInstances: number | null;
  run: (onProgress: (p: RetrieveProgress) => void) => Promise<{ studyId: string }>;
}): RetrieveTask {
  const now = Date.now();
  for (const [id, t] of tasks) if (t.finishedAt && now - t.finishedAt > KEEP_MS) tasks.delete(id);
  const running = [...tasks.values()].find((t) => t.participantId === options.participantId && !t.finishedAt);
  if (running) throw new AppError('INVALID_STATE', 'A retrieve for this participant is already running.');
  const task: RetrieveTask = {
    id: randomUUID(),
    userId: options.userId,
    participantId: options.participantId,
    progress: { phase: 'retrieving', role: null, instances: 0, bytes: 0, seriesDone: 0 },
    expectedInstances: options.expectedInstances,
    studyId: null,
    error: null,
    finishedAt: null,
  };
  tasks.set(task.id, task);
  options
    .run((p) => (task.progress = p))
    .then((r) => (task.studyId = r.studyId))
    .catch((e: unknown) => {
      if (!(e instanceof AppError)) console.error('[pacs] retrieve failed', e);
      task.error = e instanceof AppError ? { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } : { code: 'INTERNAL', message: 'Internal error. It has been logged.' };
    })
    .finally(() => (task.finishedAt = Date.now()));
  return task;
}

/** A task, for the user who started it only (others: NOT_FOUND). */
export function getRetrieveTask(id: string, userId: string): RetrieveTask {
  const task = tasks.get(id);
  if (!task || task.userId !== userId) throw new AppError('NOT_FOUND', 'No such retrieve.');
  return task;
}
