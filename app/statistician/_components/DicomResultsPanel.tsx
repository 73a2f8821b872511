'use client';
import { useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { errorMessage, trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';

type Out = inferRouterOutputs<AppRouter>['pacs'];
type Result = Out['results'][number]['results'][number];
type Loaded = { kind: 'loading' } | { kind: 'hidden' } | { kind: 'ready'; studies: Out['results']; sendsResults: boolean } | { kind: 'error'; message: string };

const keyOf = (r: Result) => (r.source.kind === 'ai' ? r.source.segmentationId : r.source.segmentationReviewId);

/** Saves base64 DICOM bytes as a file (the browser's download, no new window). */
function save(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/dicom' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Results out as standard objects: for each study retrieved from the PACS, its AI result and each
 * signed clinician segmentation as a DICOM SEG and a TID 1500 volume report (SR), to download or to
 * send back to the PACS (STOW-RS). Every download and send is audited. An AI result of a case that
 * must stay blinded has no buttons. Shown only when a PACS is configured and the user sees arms
 * (pacs.results refuses blinded users; then nothing is shown).
 */
export function DicomResultsPanel({ trialId }: { trialId: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const { busy, error, run } = useAction();
  // What each send did, shown on its own row (useAction's notice is one for the whole panel).
  const [done, setDone] = useState<Record<string, string>>({});

  useEffect(() => {
    let live = true;
    (async () => {
      const status = await trpc.pacs.status.query();
      if (!status.configured) return { kind: 'hidden' as const };
      const studies = await trpc.pacs.results.query({ trialId });
      return { kind: 'ready' as const, studies, sendsResults: status.sendsResults };
    })()
      .then((l) => live && setLoaded(l))
      .catch((e: unknown) => live && setLoaded(errorMessage(e).includes('blinded') ? { kind: 'hidden' } : { kind: 'error', message: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [trialId]);

  /** Downloads (audited, so a mutation) or sends one result; one at a time across the panel. */
  const act = (studyId: string, participant: string, result: Result, what: 'seg' | 'sr' | 'send') =>
    run(async () => {
      const out = await trpc.pacs.exportResult.mutate({ trialId, studyId, source: result.source, send: what === 'send' });
      const who = result.source.kind === 'ai' ? 'ai' : 'clinician';
      if (what === 'send') setDone((d) => ({ ...d, [keyOf(result)]: `Sent to the PACS: SEG ${out.seg.sopInstanceUid}, SR ${out.sr.sopInstanceUid}` }));
      else if (what === 'seg') save(out.seg.base64!, `${participant}-${who}-seg.dcm`);
      else save(out.sr.base64!, `${participant}-${who}-sr.dcm`);
    });

  if (loaded.kind === 'loading' || loaded.kind === 'hidden') return null;
  return (
    <section className="panel" aria-label="Results as DICOM" data-testid="dicom-results">
      <h2>Results as DICOM (SEG and SR)</h2>
      <p className="muted">
        Studies retrieved from the PACS: each label map as a DICOM Segmentation (one segment per region) and its volumes as a TID 1500 measurement report, referencing the study&apos;s T1gd series.
        Studies uploaded as files have no DICOM series to reference and are not listed.
      </p>
      {loaded.kind === 'error' && (
        <p role="alert" className="error">
          {loaded.message}
        </p>
      )}
      <FormError error={error} />
      {loaded.kind === 'ready' &&
        (loaded.studies.length === 0 ? (
          <p className="muted">No study of this trial was retrieved from the PACS yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Patient</th>
                <th>Result</th>
                <th>Made</th>
                <th>DICOM</th>
              </tr>
            </thead>
            <tbody>
              {loaded.studies.flatMap((s) =>
                s.results.length === 0
                  ? [
                      <tr key={s.studyId}>
                        <td>{s.participantStudyId}</td>
                        <td colSpan={3} className="muted">
                          no result yet
                        </td>
                      </tr>,
                    ]
                  : s.results.map((r) => (
                      <tr key={keyOf(r)} data-testid="dicom-result">
                        <td>{s.participantStudyId}</td>
                        <td>{r.author}</td>
                        <td>{new Date(r.createdAt).toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                        <td>
                          {!r.mayLeave ? (
                            <span className="muted">stays on the platform while the trial is blinded</span>
                          ) : (
                            <>
                              <button type="button" disabled={busy} onClick={() => void act(s.studyId, s.participantStudyId, r, 'seg')}>
                                Download SEG
                              </button>{' '}
                              <button type="button" disabled={busy} onClick={() => void act(s.studyId, s.participantStudyId, r, 'sr')}>
                                Download SR
                              </button>{' '}
                              {loaded.sendsResults && (
                                <button type="button" disabled={busy} onClick={() => void act(s.studyId, s.participantStudyId, r, 'send')}>
                                  Send to PACS
                                </button>
                              )}
                              {done[keyOf(r)] && (
                                <div role="status" className="muted" style={{ fontSize: 12 }}>
                                  {done[keyOf(r)]}
                                </div>
                              )}
                            </>
                          )}
                        </td>
                      </tr>
                    )),
              )}
            </tbody>
          </table>
        ))}
    </section>
  );
}
