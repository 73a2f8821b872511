'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

const CHOICES = [
  ['continue', 'Continue unchanged'],
  ['modify', 'Continue with modifications'],
  ['stop_efficacy', 'Stop for efficacy'],
  ['stop_futility', 'Stop for futility'],
  ['stop_harm', 'Stop for harm'],
] as const;

/** The committee's recommendation after this closed report, signed (password re-entered) and bound to the report's hash. */
export function RecommendationForm({ trialId, reportSha256, look, meaning }: { trialId: string; reportSha256: string; look: number; meaning: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setMessage(null);
    try {
      await trpc.dsmb.recordRecommendation.mutate({
        trialId,
        look: Number(form.get('look')),
        recommendation: String(form.get('recommendation')) as (typeof CHOICES)[number][0],
        rationale: String(form.get('rationale')),
        reportSha256,
        password: String(form.get('password')),
      });
      formEl.reset();
      setMessage({ kind: 'ok', text: 'Recommendation recorded and signed.' });
      router.refresh();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Record a recommendation" className="panel">
      <h2>Recommendation</h2>
      <label>
        Interim look
        <input name="look" type="number" min={1} max={20} defaultValue={look} required />
      </label>
      <fieldset>
        <legend>Recommendation</legend>
        {CHOICES.map(([value, label]) => (
          <label key={value} className="inline">
            <input type="radio" name="recommendation" value={value} required defaultChecked={value === 'continue'} /> {label}
          </label>
        ))}
      </fieldset>
      <label>
        Rationale for the sponsor (no results by arm)
        <textarea name="rationale" rows={3} minLength={10} maxLength={4000} required style={{ width: '100%' }} />
      </label>
      <p className="muted small">{meaning}</p>
      <label>
        Password (your signature)
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Signing…' : 'Sign the recommendation'}
      </button>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
