'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, FormNotice, useSubmit } from '../../_lib/use-submit';

/**
 * Writes the next version of the statistical analysis plan as structured data (JSON, validated by
 * the server field by field) and locks it with the statistician's signature (password re-entered).
 * From version 2 on, an amendment states its reason.
 */
export function AnalysisPlanEditor({ trialId, initial, nextVersion, meaning }: { trialId: string; initial: unknown; nextVersion: number; meaning: string }) {
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const { busy, error, notice, onSubmit } = useSubmit(async (formEl) => {
    const form = new FormData(formEl);
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw new Error(`The plan is not valid JSON: ${(error as Error).message}`);
    }
    const reason = String(form.get('reason') ?? '').trim();
    const locked = await trpc.analysisPlan.lock.mutate({ trialId, content, amendmentReason: reason || null, password: String(form.get('password')) });
    return `Version ${locked.version} locked and signed (SHA-256 ${locked.contentSha256.slice(0, 16)}…).`;
  });

  return (
    <form onSubmit={onSubmit} aria-label="Lock the analysis plan" className="panel">
      <h2>{nextVersion === 1 ? 'Write and lock the analysis plan' : `Amend the plan (version ${nextVersion})`}</h2>
      <label>
        Plan (outcomes and their types, populations, methods, subgroups with reference levels, decision-curve thresholds, interim looks with efficacy and non-binding futility spending)
        <textarea name="content" value={text} onChange={(e) => setText(e.target.value)} rows={24} spellCheck={false} style={{ width: '100%', fontFamily: 'monospace', fontSize: 12 }} />
      </label>
      {nextVersion > 1 && (
        <label>
          Reason for the amendment
          <input name="reason" required minLength={10} maxLength={2000} />
        </label>
      )}
      <p className="muted small">{meaning}</p>
      <label>
        Password (your signature)
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Locking…' : `Lock and sign version ${nextVersion}`}
      </button>
      <FormError error={error} />
      <FormNotice notice={notice} />
    </form>
  );
}
