'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

/** An admin starts a candidate model version in shadow on every study of the trial. */
export function ShadowModelStart({ trialId, candidates }: { trialId: string; candidates: readonly { id: string; label: string }[] }) {
  const router = useRouter();
  const [modelId, setModelId] = useState(candidates[0]?.id ?? '');
  const [status, setStatus] = useState<string | null>(null);
  if (candidates.length === 0) return <p className="muted">No other registered model version to compare: register one on the administration page.</p>;
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setStatus('Queuing…');
        try {
          const { studies, queued } = await trpc.oversight.startShadowEvaluation.mutate({ trialId, modelId });
          setStatus(`${queued} of ${studies} studies queued (the rest already had a result).`);
          router.refresh();
        } catch (err) {
          setStatus(errorMessage(err));
        }
      }}
    >
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
      <button type="submit">Run in shadow on every study</button>
      {status && <span role="status">{status}</span>}
    </form>
  );
}
