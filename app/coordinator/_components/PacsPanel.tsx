'use client';
import { useEffect, useReducer, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { describeError } from './describe-error';

type Out = inferRouterOutputs<AppRouter>['pacs'];
type Role = 'flair' | 't1' | 't1gd' | 't2';
const ROLES: readonly { key: Role; label: string }[] = [
  { key: 'flair', label: 'FLAIR' },
  { key: 't1', label: 'T1' },
  { key: 't1gd', label: 'T1gd (with contrast)' },
  { key: 't2', label: 'T2' },
];

interface State {
  query: { patientId: string; accessionNumber: string; studyDate: string };
  searching: boolean;
  studies: Out['search'] | null;
  study: Out['describe'] | null;
  mapping: Partial<Record<Role, string>>;
  jobId: string | null;
  task: Out['retrieveStatus'] | null;
  error: string | null;
}

type Action =
  | { type: 'query'; field: keyof State['query']; value: string }
  | { type: 'searching' }
  | { type: 'found'; studies: Out['search'] }
  | { type: 'described'; study: Out['describe'] }
  | { type: 'map'; role: Role; series: string }
  | { type: 'started'; jobId: string }
  | { type: 'progress'; task: Out['retrieveStatus'] }
  | { type: 'error'; message: string };

function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'query':
      return { ...state, query: { ...state.query, [action.field]: action.value } };
    case 'searching':
      return { ...state, searching: true, error: null, studies: null, study: null, task: null, jobId: null };
    case 'found':
      return { ...state, searching: false, studies: action.studies };
    case 'described':
      return { ...state, study: action.study, mapping: Object.fromEntries(Object.entries(action.study.mapping.roles).map(([r, s]) => [r, s.seriesInstanceUid])), error: null };
    case 'map':
      return { ...state, mapping: { ...state.mapping, [action.role]: action.series } };
    case 'started':
      return { ...state, jobId: action.jobId, task: null, error: null };
    case 'progress':
      return { ...state, task: action.task, ...(finished(action.task) ? { jobId: null } : {}) };
    case 'error':
      return { ...state, searching: false, error: action.message };
  }
}

const initial: State = { query: { patientId: '', accessionNumber: '', studyDate: '' }, searching: false, studies: null, study: null, mapping: {}, jobId: null, task: null, error: null };
const finished = (t: Out['retrieveStatus']) => t.state === 'done' || t.state === 'failed';
const PHASE: Record<Out['retrieveStatus']['state'], string> = {
  queued: 'Queued',
  retrieving: 'Retrieving',
  ingesting: 'Ingesting (checks, de-identification, co-registration)',
  done: 'Done',
  failed: 'Refused',
};

/**
 * Import from the hospital PACS: search (QIDO-RS by patient ID, accession number or date), pick a
 * study, confirm the suggested series for each sequence (localizers and other series are listed as
 * ignored, with the reason), and retrieve: a queued job (WADO-RS streamed to disk, then the same
 * ingest as an upload), whose progress is polled here. Shown only when a PACS is configured.
 */
export function PacsPanel({ trialId, participantId, onIngested }: { trialId: string; participantId: string; onIngested?: () => void }) {
  const [state, dispatch] = useReducer(reduce, initial);

  // After a reload (or on a colleague's screen): follow a retrieve still running, or show why the last one was refused.
  useEffect(() => {
    let live = true;
    trpc.pacs.retrievals
      .query({ trialId, participantId })
      .then(([latest]) => {
        if (!live || !latest || latest.state === 'done') return;
        if (latest.state !== 'failed') dispatch({ type: 'started', jobId: latest.jobId });
        dispatch({ type: 'progress', task: latest });
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [trialId, participantId]);

  useEffect(() => {
    if (!state.jobId) return;
    const jobId = state.jobId;
    const timer = setInterval(() => {
      trpc.pacs.retrieveStatus
        .query({ jobId })
        .then((task) => {
          dispatch({ type: 'progress', task });
          if (task.state === 'done') onIngested?.();
        })
        .catch((e: unknown) => dispatch({ type: 'error', message: describeError(e) }));
    }, 1000);
    return () => clearInterval(timer);
  }, [state.jobId, onIngested]);

  async function search(e: FormEvent) {
    e.preventDefault();
    dispatch({ type: 'searching' });
    try {
      dispatch({ type: 'found', studies: await trpc.pacs.search.query({ trialId, ...state.query }) });
    } catch (err) {
      dispatch({ type: 'error', message: describeError(err) });
    }
  }

  async function open(studyInstanceUid: string) {
    try {
      dispatch({ type: 'described', study: await trpc.pacs.describe.query({ trialId, studyInstanceUid }) });
    } catch (err) {
      dispatch({ type: 'error', message: describeError(err) });
    }
  }

  async function retrieve() {
    const study = state.study;
    if (!study || ROLES.some((r) => !state.mapping[r.key])) return;
    const series = { flair: state.mapping.flair!, t1: state.mapping.t1!, t1gd: state.mapping.t1gd!, t2: state.mapping.t2! };
    const expected = ROLES.reduce((n, r) => n + (study.series.find((s) => s.seriesInstanceUid === series[r.key])?.instances ?? 0), 0);
    try {
      const { jobId } = await trpc.pacs.retrieve.mutate({ trialId, participantId, studyInstanceUid: study.studyInstanceUid, series, ...(expected > 0 ? { expectedInstances: expected } : {}) });
      dispatch({ type: 'started', jobId });
    } catch (err) {
      dispatch({ type: 'error', message: describeError(err) });
    }
  }

  const complete = ROLES.every((r) => state.mapping[r.key]) && new Set(ROLES.map((r) => state.mapping[r.key])).size === ROLES.length;
  const task = state.task;
  const running = state.jobId !== null;
  const ignored = new Map(state.study?.mapping.ignored.map((i) => [i.seriesInstanceUid, i.reason]) ?? []);
  return (
    <section className="panel" aria-label="Import from PACS" data-testid="pacs-panel">
      <h2>Import from PACS</h2>
      <form onSubmit={search} className="inline-form" aria-label="Search the PACS">
        <label>
          Patient ID <input name="patientId" value={state.query.patientId} onChange={(e) => dispatch({ type: 'query', field: 'patientId', value: e.target.value })} />
        </label>
        <label>
          Accession number <input name="accessionNumber" value={state.query.accessionNumber} onChange={(e) => dispatch({ type: 'query', field: 'accessionNumber', value: e.target.value })} />
        </label>
        <label>
          Study date <input name="studyDate" placeholder="YYYYMMDD" value={state.query.studyDate} onChange={(e) => dispatch({ type: 'query', field: 'studyDate', value: e.target.value })} />
        </label>
        <button type="submit" disabled={state.searching}>
          {state.searching ? 'Searching…' : 'Search PACS'}
        </button>
      </form>
      {state.error && (
        <p role="alert" className="error">
          {state.error}
        </p>
      )}
      {state.studies &&
        (state.studies.length === 0 ? (
          <p className="muted">No MR study found.</p>
        ) : (
          <table data-testid="pacs-studies">
            <thead>
              <tr>
                <th>Date</th>
                <th>Patient ID</th>
                <th>Accession</th>
                <th>Description</th>
                <th>Series</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {state.studies.map((s) => (
                <tr key={s.studyInstanceUid}>
                  <td>{s.studyDate}</td>
                  <td>{s.patientId}</td>
                  <td>{s.accessionNumber}</td>
                  <td>{s.description}</td>
                  <td>{s.series ?? '—'}</td>
                  <td>
                    <button type="button" onClick={() => void open(s.studyInstanceUid)}>
                      Show series
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {state.study && (
        <>
          <h3>Series</h3>
          <table data-testid="pacs-series">
            <thead>
              <tr>
                <th>#</th>
                <th>Description</th>
                <th>Images</th>
                <th>TE / TR / TI (ms)</th>
                <th>Contrast</th>
                <th>Use</th>
              </tr>
            </thead>
            <tbody>
              {state.study.series.map((s) => {
                const role = ROLES.find((r) => state.mapping[r.key] === s.seriesInstanceUid);
                return (
                  <tr key={s.seriesInstanceUid} className={ignored.has(s.seriesInstanceUid) ? 'muted' : undefined}>
                    <td>{s.seriesNumber ?? ''}</td>
                    <td>{s.description || '(no description)'}</td>
                    <td>{s.instances}</td>
                    <td>{[s.echoTime, s.repetitionTime, s.inversionTime].map((v) => (v === null ? '–' : v)).join(' / ')}</td>
                    <td>{s.contrastAgent || '—'}</td>
                    <td>{ignored.has(s.seriesInstanceUid) ? `ignored: ${ignored.get(s.seriesInstanceUid)}` : role ? role.label : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <h3>Sequences</h3>
          <div className="grid" role="group" aria-label="Series mapping">
            {ROLES.map((r) => {
              const suggestion = state.study!.mapping.roles[r.key];
              return (
                <label key={r.key}>
                  {r.label}
                  <select aria-label={r.label} value={state.mapping[r.key] ?? ''} onChange={(e) => dispatch({ type: 'map', role: r.key, series: e.target.value })}>
                    <option value="">— choose —</option>
                    {state
                      .study!.series.filter((s) => !ignored.has(s.seriesInstanceUid))
                      .map((s) => (
                        <option key={s.seriesInstanceUid} value={s.seriesInstanceUid}>{`${s.seriesNumber ?? ''} ${s.description} (${s.instances})`}</option>
                      ))}
                  </select>
                  {suggestion && <small className="muted"> suggested: {suggestion.reason}</small>}
                </label>
              );
            })}
          </div>
          <button type="button" disabled={!complete || running} onClick={() => void retrieve()}>
            Confirm and retrieve
          </button>
        </>
      )}
      {(running || task) && (
        <div data-testid="pacs-progress" aria-live="polite">
          {task?.state === 'failed' ? (
            <p role="alert" className="error">
              Refused: {task.error?.message ?? 'the retrieve failed.'}
            </p>
          ) : task?.state === 'done' ? (
            <p>
              Retrieved and ingested ({task.instances} images). The study is queued for segmentation.{' '}
              <button type="button" onClick={() => window.location.reload()}>
                Show the study
              </button>
            </p>
          ) : (
            <>
              <p>
                {task ? `${PHASE[task.state]}: ${task.instances}${task.expectedInstances ? ` of ${task.expectedInstances}` : ''} images` : 'Queued…'}
                {task?.expectedInstances ? <progress max={task.expectedInstances} value={task.instances} style={{ marginLeft: 8 }} /> : null}
              </p>
              {task?.error && (
                <p className="muted">
                  Attempt {task.attempts} of {task.maxAttempts} failed ({task.error.message}); retrying shortly.
                </p>
              )}
            </>
          )}
        </div>
      )}
    </section>
  );
}
