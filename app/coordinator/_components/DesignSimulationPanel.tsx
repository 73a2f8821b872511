'use client';
import { useState } from 'react';
import type { StoredDesignSimulation } from '@/server/domain/randomization-simulation/find-design-simulation';
import { RandomizationSimulationPanel } from '../../statistician/_components/RandomizationSimulationPanel';
import { FormError, useSubmit } from '../../_lib/use-submit';
import { trpc } from '../../_lib/trpc-client';

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
const ranBy = (s: StoredDesignSimulation) => `${when(s.createdAt)}${s.runBy ? ` by ${s.runBy}` : ''}, ${s.settings.participants} participants × ${s.settings.replicates} simulated trials`;

/**
 * The randomization design simulation on the design page: run before go-live on the saved design
 * (kept and audited), with the figures of the latest run; going live commits the latest run on the
 * committed design beside the live seed, and a live trial shows the run its commitment carries.
 */
export function DesignSimulationPanel({
  trialId,
  status,
  targetSampleSize,
  stored,
}: {
  trialId: string;
  status: string;
  targetSampleSize: number | null;
  stored: { latest: StoredDesignSimulation | null; latestMatchesDesign: boolean; committed: StoredDesignSimulation | null };
}) {
  const frozen = status === 'live' || status === 'closed';
  const [participants, setParticipants] = useState(String(targetSampleSize ?? 100));
  const [replicates, setReplicates] = useState('200');
  const { busy, error, onSubmit } = useSubmit(async () => {
    await trpc.randomizationDesign.run.mutate({ trialId, participants: Number(participants), replicates: Number(replicates) });
  });
  const shown = frozen ? stored.committed : stored.latest;
  return (
    <>
      <section className="panel" aria-label="Randomization design check" data-testid="design-simulation">
        <h2>Randomization design check (simulation)</h2>
        {frozen ? (
          <p data-testid="design-simulation-status">
            {stored.committed ? (
              <>
                Committed with the live seed: the run of {ranBy(stored.committed)} (figures&apos; SHA-256 <code className="hash">{stored.committed.resultSha256}</code>).
              </>
            ) : (
              'No simulation was run on the committed design before go-live.'
            )}
          </p>
        ) : (
          <>
            <p className="muted small">
              Monte Carlo of the saved design at the target size through the platform&apos;s own allocation engine (fresh seeds; no real allocation is used). Each run is kept; going live commits the
              latest run on the design as saved beside the live seed, as the evidence it was chosen on.
            </p>
            <form className="row" onSubmit={(e) => void onSubmit(e)}>
              <label>
                Participants per trial <input type="number" min={2} max={5000} value={participants} onChange={(e) => setParticipants(e.target.value)} disabled={busy} required />
              </label>{' '}
              <label>
                Simulated trials <input type="number" min={10} max={1000} value={replicates} onChange={(e) => setReplicates(e.target.value)} disabled={busy} required />
              </label>{' '}
              <button type="submit" disabled={busy || targetSampleSize === null}>
                {busy ? 'Simulating…' : 'Run simulation'}
              </button>
            </form>
            <FormError error={error} />
            <p data-testid="design-simulation-status">
              {stored.latest === null
                ? 'Not run yet: run it before going live, or the live commitment will carry no simulation.'
                : stored.latestMatchesDesign
                  ? `Latest run: ${ranBy(stored.latest)}, on the design as saved: going live commits it beside the live seed.`
                  : `Latest run: ${ranBy(stored.latest)}, on an earlier design: run it again before going live.`}
            </p>
          </>
        )}
      </section>
      {shown && <RandomizationSimulationPanel sim={shown.result} />}
    </>
  );
}
