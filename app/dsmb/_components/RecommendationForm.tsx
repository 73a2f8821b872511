'use client';
import { trpc } from '../../_lib/trpc-client';
import { FormError, FormNotice, useSubmit } from '../../_lib/use-submit';

const CHOICES = [
  ['continue', 'Continue unchanged'],
  ['modify', 'Continue with modifications'],
  ['stop_efficacy', 'Stop for efficacy'],
  ['stop_futility', 'Stop for futility'],
  ['stop_harm', 'Stop for harm'],
] as const;

/** The committee's recommendation after this closed report, signed (password re-entered) and bound to the report's hash. */
export function RecommendationForm({ trialId, reportSha256, look, meaning }: { trialId: string; reportSha256: string; look: number; meaning: string }) {
  const { busy, error, notice, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      await trpc.dsmb.recordRecommendation.mutate({
        trialId,
        look: Number(form.get('look')),
        recommendation: String(form.get('recommendation')) as (typeof CHOICES)[number][0],
        rationale: String(form.get('rationale')),
        reportSha256,
        password: String(form.get('password')),
      });
      return 'Recommendation recorded and signed.';
    },
    (formEl) => formEl.reset(),
  );

  return (
    <form onSubmit={onSubmit} aria-label="Record a recommendation" className="panel">
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
      <FormError error={error} />
      <FormNotice notice={notice} />
    </form>
  );
}
