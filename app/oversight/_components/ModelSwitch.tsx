'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';

/**
 * An admin pins a candidate that ran in shadow by a signed protocol amendment: a summary, the date
 * it takes effect and the password re-entered. New cases use the new version; old ones keep theirs.
 */
export function ModelSwitch({ trialId, candidate }: { trialId: string; candidate: { id: string; label: string } }) {
  const [summary, setSummary] = useState('');
  const [effectiveOn, setEffectiveOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async () => {
    const result = await trpc.oversight.switchModel.mutate({ trialId, modelId: candidate.id, summary, effectiveOn, password });
    setDone(`Protocol version ${result.version}: new cases use ${candidate.label} from ${result.effectiveOn}.`);
    setPassword('');
  });
  return (
    <form className="inline-form" aria-label={`Switch to ${candidate.label}`} onSubmit={onSubmit}>
      <label>
        Amendment summary <input value={summary} onChange={(e) => setSummary(e.target.value)} required minLength={10} aria-label={`Amendment summary for ${candidate.label}`} />
      </label>
      <label>
        Effective on <input type="date" value={effectiveOn} onChange={(e) => setEffectiveOn(e.target.value)} required aria-label={`Effective date for ${candidate.label}`} />
      </label>
      <label>
        Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" aria-label={`Password for ${candidate.label}`} />
      </label>
      <button type="submit" disabled={busy}>
        Sign the amendment and switch
      </button>
      {done && <span role="status">{done}</span>}
      <FormError error={error} />
    </form>
  );
}
