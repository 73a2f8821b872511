'use client';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { useAction } from '../../_lib/use-submit';
import { describeError } from './describe-error';

type Study = inferRouterOutputs<AppRouter>['studies']['listForParticipant'][number];
type PendingUpload = inferRouterOutputs<AppRouter>['studies']['uploadsForParticipant'][number];
type Mapping = NonNullable<PendingUpload['mapping']>;

const ROLES = [
  { key: 'flair', label: 'FLAIR' },
  { key: 't1', label: 'T1' },
  { key: 't1gd', label: 'T1gd (T1 with contrast)' },
  { key: 't2', label: 'T2' },
] as const;
type Role = (typeof ROLES)[number]['key'];

const LAYOUTS: Record<Mapping['layout'], string> = {
  'named-files': 'files whose names say their sequence',
  'brats-2021': 'BraTS 2020/2021 names (_flair, _t1, _t1ce, _t2)',
  'brats-2023': 'BraTS 2023+ names (-t2f, -t1n, -t1c, -t2w)',
  'decathlon-4d': 'one 4D NIfTI (Medical Segmentation Decathlon)',
};

/** A refusal as the upload route answers it: for ingest errors, the file, field, value found and expected. */
interface Refusal {
  code: string;
  message: string;
  ingestCode?: string;
  file?: string;
  field?: string;
  found?: string;
  expected?: string;
}

type Upload = { phase: 'idle' } | { phase: 'sending'; loaded: number; total: number } | { phase: 'processing' } | { phase: 'accepted'; uploadId: string } | { phase: 'refused'; refusal: Refusal };

/** Sends the multipart form with upload progress (fetch cannot report it) and the mutation header. */
function postStudy(form: FormData, onProgress: (loaded: number, total: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/studies');
    xhr.setRequestHeader('x-segtrial-request', '1');
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { error: { code: 'INTERNAL', message: `The server answered ${xhr.status} without a readable body.` } };
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The upload did not reach the server (network error).'));
    xhr.send(form);
  });
}

/**
 * The patient's MRI studies, stage by stage: sending (upload progress), ingest (a job: validation,
 * de-identification, co-registration; its refusal names file, field, found and expected), then the
 * study with its registration quality and the segmentation job's progress. The job status is all a
 * coordinator sees of the AI: no output, and nothing that differs between arms.
 */
export function StudyPanel({ trialId, participantId, canUpload, initial }: { trialId: string; participantId: string; canUpload: boolean; initial: Study[] }) {
  const [studies, setStudies] = useState(initial);
  const [uploads, setUploads] = useState<PendingUpload[]>([]);
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  // A patient with a study usually needs no other: the form stays folded until asked for.
  const [showForm, setShowForm] = useState(initial.length === 0);
  const formRef = useRef<HTMLFormElement>(null);

  const refresh = useCallback(async () => {
    try {
      const [nextUploads, nextStudies] = await Promise.all([trpc.studies.uploadsForParticipant.query({ trialId, participantId }), trpc.studies.listForParticipant.query({ trialId, participantId })]);
      setUploads(nextUploads);
      setStudies(nextStudies);
    } catch {
      // keep showing the last answer; the next poll tries again
    }
  }, [trialId, participantId]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const active =
    uploads.some((u) => u.status === 'queued' && u.ingestJob?.status !== 'failed') ||
    studies.some((s) => s.segmentationJob && (s.segmentationJob.status === 'queued' || s.segmentationJob.status === 'running'));
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [active, refresh]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    form.set('trialId', trialId);
    form.set('participantId', participantId);
    setUpload({ phase: 'sending', loaded: 0, total: 0 });
    try {
      const { status, body } = await postStudy(form, (loaded, total) => setUpload(loaded >= total && total > 0 ? { phase: 'processing' } : { phase: 'sending', loaded, total }));
      if (status === 202) {
        setUpload({ phase: 'accepted', uploadId: (body as { uploadId: string }).uploadId });
        formRef.current?.reset();
        await refresh();
      } else {
        setUpload({ phase: 'refused', refusal: (body as { error: Refusal }).error ?? { code: String(status), message: 'Refused.' } });
      }
    } catch (e) {
      setUpload({ phase: 'refused', refusal: { code: 'NETWORK', message: describeError(e) } });
    }
  }

  const busy = upload.phase === 'sending' || upload.phase === 'processing';
  return (
    <section className="panel" aria-label="MRI studies">
      <h2>MRI study</h2>
      {canUpload && !showForm && (
        <p>
          <button type="button" className="secondary" onClick={() => setShowForm(true)}>
            Upload another study…
          </button>
        </p>
      )}
      {canUpload && showForm && <CaseUploadForm trialId={trialId} participantId={participantId} awaiting={uploads.some((u) => u.status === 'awaiting_confirmation')} onUploaded={refresh} />}
      {canUpload && showForm && (
        <form ref={formRef} onSubmit={onSubmit} aria-label="Upload a study">
          <h3>Or four files, one per sequence</h3>
          <p className="muted">
            Four sequences, each a NIfTI file (.nii or .nii.gz) or a .zip of one DICOM series. After the upload they are validated, de-identified and co-registered to the T1gd in the background; a
            refused study keeps nothing.
          </p>
          <div className="grid">
            {ROLES.map((r) => (
              <label key={r.key}>
                {r.label}
                <input type="file" name={r.key} accept=".nii,.gz,.nii.gz,.zip,application/gzip,application/zip" required disabled={busy} />
              </label>
            ))}
          </div>
          <button type="submit" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload study'}
          </button>
          <UploadStatus upload={upload} />
        </form>
      )}
      {uploads.map((u) => (
        <UploadCard key={u.id} upload={u} trialId={trialId} onChanged={refresh} />
      ))}
      {studies.length === 0 ? uploads.length === 0 && <p className="muted">No study attached yet.</p> : studies.map((s) => <StudyCard key={s.id} study={s} />)}
    </section>
  );
}

function UploadStatus({ upload }: { upload: Upload }) {
  if (upload.phase === 'idle') return null;
  if (upload.phase === 'sending') {
    const pct = upload.total > 0 ? Math.round((100 * upload.loaded) / upload.total) : 0;
    return (
      <p role="status">
        Sending… <progress max={100} value={pct} aria-label="Upload progress" /> {pct} %
      </p>
    );
  }
  if (upload.phase === 'processing') return <p role="status">Received; storing the files…</p>;
  if (upload.phase === 'accepted')
    return (
      <p className="muted" role="status" data-testid="upload-received">
        Upload received. Validation, de-identification and co-registration run in the background: follow them below.
      </p>
    );
  return <RefusalFacts refusal={upload.refusal} />;
}

/** A refusal with the file, field, value found and expected (ingest errors) or just the message. */
function RefusalFacts({ refusal: r }: { refusal: Refusal }) {
  return (
    <div className="verdict bad" role="alert" data-testid="upload-refused">
      <strong>Study refused{r.ingestCode ? ` (${r.ingestCode})` : ''}.</strong> Nothing was stored.
      {r.file !== undefined ? (
        <dl className="facts">
          <dt>File</dt>
          <dd data-testid="refusal-file">{r.file}</dd>
          <dt>Field</dt>
          <dd data-testid="refusal-field">{r.field}</dd>
          <dt>Found</dt>
          <dd data-testid="refusal-found">{r.found}</dd>
          <dt>Expected</dt>
          <dd data-testid="refusal-expected">{r.expected}</dd>
        </dl>
      ) : null}
      <p className="muted">{r.message}</p>
    </div>
  );
}

/**
 * A whole case in one go: a folder (BraTS, or any names that say the sequence), a 4D NIfTI with its
 * dataset.json, or a zip of either. The server recognises which file is which sequence and nothing is
 * ingested until the coordinator has confirmed that mapping on the upload's card.
 */
function CaseUploadForm({ trialId, participantId, awaiting, onUploaded }: { trialId: string; participantId: string; awaiting: boolean; onUploaded: () => Promise<void> }) {
  const [upload, setUpload] = useState<Upload>({ phase: 'idle' });
  const formRef = useRef<HTMLFormElement>(null);
  const busy = upload.phase === 'sending' || upload.phase === 'processing';

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const inputs = [...event.currentTarget.querySelectorAll<HTMLInputElement>('input[type="file"]')];
    const picked = inputs.flatMap((input) => [...(input.files ?? [])]);
    if (picked.length === 0) {
      setUpload({ phase: 'refused', refusal: { code: 'INVALID_INPUT', message: 'Choose a 4D NIfTI, a zip, the files of a case, or a folder.' } });
      return;
    }
    const form = new FormData();
    form.set('trialId', trialId);
    form.set('participantId', participantId);
    // A folder's files go with their path in it, so DICOM series stay apart and BraTS case ids are seen.
    for (const f of picked) form.append('case', f, f.webkitRelativePath || f.name);
    setUpload({ phase: 'sending', loaded: 0, total: 0 });
    try {
      const { status, body } = await postStudy(form, (loaded, total) => setUpload(loaded >= total && total > 0 ? { phase: 'processing' } : { phase: 'sending', loaded, total }));
      if (status === 202) {
        setUpload({ phase: 'accepted', uploadId: (body as { uploadId: string }).uploadId });
        formRef.current?.reset();
        await onUploaded();
      } else setUpload({ phase: 'refused', refusal: (body as { error: Refusal }).error ?? { code: String(status), message: 'Refused.' } });
    } catch (e) {
      setUpload({ phase: 'refused', refusal: { code: 'NETWORK', message: describeError(e) } });
    }
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} aria-label="Upload a case">
      <h3>A whole case</h3>
      <p className="muted">
        A Decathlon-style 4D NIfTI (with its dataset.json if you have it), a BraTS case folder, a folder or zip whose file names say the sequence, or DICOM series folders. You will see which file was
        taken for which sequence and confirm it before anything is ingested.
      </p>
      <div className="grid">
        <label>
          Files (4D NIfTI, dataset.json, zip, or the case&apos;s files)
          <input type="file" name="caseFiles" multiple accept=".nii,.gz,.nii.gz,.zip,.json,.dcm,application/gzip,application/zip,application/json" disabled={busy} />
        </label>
        <label>
          Or a folder
          <input type="file" name="caseFolder" multiple disabled={busy} {...({ webkitdirectory: '' } as Record<string, string>)} />
        </label>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Uploading…' : 'Upload case'}
      </button>
      {upload.phase === 'accepted' ? (
        awaiting && (
          <p className="muted" role="status" data-testid="case-received">
            Case received: check the sequences below and confirm them.
          </p>
        )
      ) : (
        <UploadStatus upload={upload} />
      )}
    </form>
  );
}

const sourceKey = (c: { file: string; channel?: number | null }) => `${c.file}#${c.channel ?? ''}`;

/** A candidate as the select shows it: the file's name, and a 4D file's channel counted from 0 as the Decathlon and the study's file table do. */
function sourceLabel(c: { file: string; channel?: number | null }): string {
  const name = c.file.split('/').pop() ?? c.file;
  return c.channel !== undefined && c.channel !== null ? `${name} · channel ${c.channel}` : name;
}

/**
 * Which file (or 4D channel) the server took for which sequence, and why; the coordinator corrects
 * any of them among the upload's files and confirms (the ingest is queued then), or discards the upload.
 */
function MappingConfirmation({ trialId, upload, mapping, onChanged }: { trialId: string; upload: PendingUpload; mapping: Mapping; onChanged: () => Promise<void> }) {
  const [chosen, setChosen] = useState<Record<Role, string>>(() => Object.fromEntries(mapping.assignments.map((a) => [a.role, sourceKey(a)])) as Record<Role, string>);
  const { busy, error, run } = useAction({ describe: describeError });
  const byKey = new Map(mapping.candidates.map((c) => [sourceKey(c), c]));
  const twice = ROLES.filter((r) => ROLES.some((o) => o.key !== r.key && chosen[o.key] === chosen[r.key]));
  const changed = (role: Role) => mapping.assignments.find((a) => a.role === role) && sourceKey(mapping.assignments.find((a) => a.role === role)!) !== chosen[role];

  const confirm = () =>
    run(async () => {
      const assignments = ROLES.map(({ key }) => {
        const c = byKey.get(chosen[key])!;
        return { role: key, file: c.file, ...(c.channel !== undefined ? { channel: c.channel } : {}) };
      });
      await trpc.studies.confirmUpload.mutate({ trialId, uploadId: upload.id, assignments });
      await onChanged();
    });
  const discard = () =>
    run(async () => {
      await trpc.studies.discardUpload.mutate({ trialId, uploadId: upload.id });
      await onChanged();
    });

  return (
    <div data-testid="mapping-confirmation">
      <p>
        Recognised as <strong data-testid="mapping-layout">{LAYOUTS[mapping.layout]}</strong>
        {mapping.caseId ? (
          <>
            , case <strong data-testid="mapping-case">{mapping.caseId}</strong>
          </>
        ) : null}
        . Check which file was taken for each sequence; nothing is ingested until you confirm.
      </p>
      <table aria-label="Sequence mapping">
        <thead>
          <tr>
            <th>Sequence</th>
            <th>Taken from</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {ROLES.map((r) => {
            const recognised = mapping.assignments.find((a) => a.role === r.key);
            return (
              <tr key={r.key} data-role={r.key}>
                <td>{r.label}</td>
                <td>
                  <select aria-label={`Source of ${r.label}`} value={chosen[r.key]} disabled={busy} onChange={(e) => setChosen({ ...chosen, [r.key]: e.target.value })}>
                    {mapping.candidates.map((c) => (
                      <option key={sourceKey(c)} value={sourceKey(c)} title={c.file}>
                        {sourceLabel(c)}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="muted">{changed(r.key) ? <span className="badge warn">changed by you</span> : (recognised?.because ?? '')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {mapping.ignored.length > 0 && (
        <p className="muted" data-testid="mapping-ignored">
          Not used: {mapping.ignored.join('; ')}
        </p>
      )}
      {twice.length > 0 && (
        <p className="verdict bad" role="alert">
          {twice.map((r) => r.label).join(' and ')} are taken from the same source: each sequence needs its own.
        </p>
      )}
      {error && (
        <p className="verdict bad" role="alert">
          {error}
        </p>
      )}
      <p>
        <button type="button" onClick={() => void confirm()} disabled={busy || twice.length > 0}>
          Confirm and ingest
        </button>{' '}
        <button type="button" className="secondary" onClick={() => void discard()} disabled={busy}>
          Discard upload
        </button>
      </p>
    </div>
  );
}

/** An upload before it is a study: the mapping to confirm, the ingest job's stage, or the refusal. */
function UploadCard({ upload, trialId, onChanged }: { upload: PendingUpload; trialId: string; onChanged: () => Promise<void> }) {
  const files = Object.values(upload.files).flat().join(', ');
  if (upload.status === 'rejected' && upload.rejection) {
    return (
      <article className="study" data-testid="upload-card">
        <h3>
          Upload of {upload.uploadedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC <span className="muted">{files}</span>
        </h3>
        <RefusalFacts refusal={{ code: 'INVALID_INPUT', ...upload.rejection }} />
      </article>
    );
  }
  if (upload.status === 'awaiting_confirmation' && upload.mapping) {
    return (
      <article className="study" data-testid="upload-card">
        <h3>
          Upload of {upload.uploadedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC <span className="muted">waiting for your confirmation</span>
        </h3>
        <MappingConfirmation trialId={trialId} upload={upload} mapping={upload.mapping} onChanged={onChanged} />
      </article>
    );
  }
  const job = upload.ingestJob;
  const stage =
    upload.status === 'awaiting_confirmation'
      ? 'waiting for your confirmation'
      : !job || job.status === 'queued'
        ? job && job.attempts > 0
          ? `waiting to retry (attempt ${job.attempts + 1})`
          : 'queued'
        : job.status === 'running'
          ? 'validating, de-identifying and co-registering'
          : job.status === 'failed'
            ? 'failed after retries: ask an administrator to look at the server log'
            : 'recording the study';
  return (
    <article className="study" data-testid="upload-card">
      <h3>
        Upload of {upload.uploadedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC <span className="muted">{files}</span>
      </h3>
      <div className="job" data-testid="ingest-job">
        <span>Ingest: </span>
        <span className={`badge ${job?.status === 'failed' ? 'bad' : ''}`} data-testid="ingest-status">
          {job?.status ?? upload.status}
        </span>{' '}
        {job?.status === 'running' && <progress aria-label="Ingest progress" />} <span className="muted">{stage}</span>
      </div>
    </article>
  );
}

/** How the study was taken in: the case's layout and its confirmation, and the brain extraction step (method, version, what it saw). */
function Provenance({ study }: { study: Study }) {
  const { layout, brainExtraction: b } = study.provenance;
  if (!layout && !b) return null;
  return (
    <p className="muted" data-testid="study-provenance">
      {layout && (
        <>
          Case{layout.caseId ? ` ${layout.caseId}` : ''}: {LAYOUTS[layout.layout as Mapping['layout']] ?? layout.layout}, sequence mapping confirmed{layout.corrected ? ' after correction' : ''}.{' '}
        </>
      )}
      {b && (
        <>
          Brain extraction: {b.method} {b.version ?? ''}
          {b.input ? ` (${b.input === 'head' ? 'skull-on input' : 'already skull-stripped'}${b.volumeMl !== null ? `, ${Math.round(b.volumeMl)} mL` : ''})` : ''}.
        </>
      )}
    </p>
  );
}

function StudyCard({ study }: { study: Study }) {
  const job = study.segmentationJob;
  const pct = job && job.tilesTotal > 0 ? Math.round((100 * job.tilesDone) / job.tilesTotal) : job?.status === 'succeeded' ? 100 : 0;
  return (
    <article className="study" data-testid="study-card">
      <h3>
        Study of {study.ingestedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC <span className="muted">grid {study.grid.dims.join('×')}</span>
      </h3>
      <div className="grid">
        <table aria-label="Sequences">
          <thead>
            <tr>
              <th>Sequence</th>
              <th>File</th>
              <th>Dims</th>
              <th>Spacing (mm)</th>
              <th>Orientation</th>
            </tr>
          </thead>
          <tbody>
            {study.sequences.map((q) => (
              <tr key={q.role}>
                <td>{q.role}</td>
                <td>{q.file}</td>
                <td>{q.dims.join('×')}</td>
                <td>{q.spacing.map((v) => v.toFixed(2)).join(' × ')}</td>
                <td>{q.orientation}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table aria-label="Registration quality">
          <thead>
            <tr>
              <th>Registered to T1gd</th>
              <th>NMI before</th>
              <th>NMI after</th>
              <th>Rotation</th>
              <th>Transform kept</th>
              <th>Verdict</th>
            </tr>
          </thead>
          <tbody>
            {study.registration.map((r) => (
              <tr key={r.role}>
                <td>{r.role}</td>
                <td>{r.nmiBefore?.toFixed(3) ?? '—'}</td>
                <td>{r.nmiAfter?.toFixed(3) ?? '—'}</td>
                <td>{r.rotationDeg !== null ? `${r.rotationDeg.toFixed(1)}°` : '—'}</td>
                <td className="muted">{r.source === 'identity' ? (r.alreadyAligned ? 'none needed (one grid)' : 'none needed') : r.source === 'elastix' ? 'rigid (elastix)' : '—'}</td>
                <td>{r.ok ? <span className="badge ok">ok</span> : <span className="badge warn">flagged</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Provenance study={study} />
      <div className="job" data-testid="segmentation-job">
        <span>AI segmentation: </span>
        {job ? (
          <>
            <span className={`badge ${job.status === 'succeeded' ? 'ok' : job.status === 'failed' ? 'bad' : ''}`} data-testid="job-status">
              {job.status}
            </span>{' '}
            <progress max={100} value={pct} aria-label="Segmentation progress" />{' '}
            <span className="muted">
              {job.tilesTotal > 0 ? `${job.tilesDone} / ${job.tilesTotal} tiles` : job.status === 'queued' ? 'waiting for a worker' : ''}
              {job.attempts > 1 ? ` · attempt ${job.attempts}` : ''}
            </span>
          </>
        ) : (
          <span className="muted">not queued (no segmentation model registered)</span>
        )}
      </div>
    </article>
  );
}
