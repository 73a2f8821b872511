'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

/**
 * An admin pins a candidate that ran in shadow by a signed protocol amendment: a summary, the date
 * it takes effect and the password re-entered. New cases use the new version; old ones keep theirs.
 */
export function ModelSwitch({ trialId, candidate }: { trialId: string; candidate: { id: string; label: string } }) {
  const router = useRouter();
  const [summary, setSummary] = useState('');
  const [effectiveOn, setEffectiveOn] = useState(() => new Date().toISOString().slice(0, 10));
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-form"
      aria-label={`Switch to ${candidate.label}`}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          const result = await trpc.oversight.switchModel.mutate({ trialId, modelId: candidate.id, summary, effectiveOn, password });
          setDone(`Protocol version ${result.version}: new cases use ${candidate.label} from ${result.effectiveOn}.`);
          setPassword('');
          router.refresh();
        } catch (err) {
          setError(errorMessage(err));
        } finally {
          setBusy(false);
        }
      }}
    >
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
