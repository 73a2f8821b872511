'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { useSubmit } from '../../_lib/use-submit';

/** An admin starts a candidate model version in shadow on every study of the trial. */
export function ShadowModelStart({ trialId, candidates }: { trialId: string; candidates: readonly { id: string; label: string }[] }) {
  const [modelId, setModelId] = useState(candidates[0]?.id ?? '');
  const { busy, error, notice, onSubmit } = useSubmit(async () => {
    const { studies, queued } = await trpc.oversight.startShadowEvaluation.mutate({ trialId, modelId });
    return `${queued} of ${studies} studies queued (the rest already had a result).`;
  });
  if (candidates.length === 0) return <p className="muted">No other registered model version to compare: register one on the administration page.</p>;
  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <label>
        Candidate{' '}
        <select value={modelId} onChange={(e) => setModelId(e.target.value)} aria-label="Candidate model version">
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy}>
        Run in shadow on every study
      </button>
      {/* Inline in the form's row: spans rather than FormError's and FormNotice's paragraphs. */}
      {busy && <span role="status">Queuing…</span>}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      {notice && <span role="status">{notice}</span>}
    </form>
  );
}
