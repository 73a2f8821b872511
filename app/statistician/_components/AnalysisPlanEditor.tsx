'use client';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

/**
 * Writes the next version of the statistical analysis plan as structured data (JSON, validated by
 * the server field by field) and locks it with the statistician's signature (password re-entered).
 * From version 2 on, an amendment states its reason.
 */
export function AnalysisPlanEditor({ trialId, initial, nextVersion, meaning }: { trialId: string; initial: unknown; nextVersion: number; meaning: string }) {
  const router = useRouter();
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    let content: unknown;
    try {
      content = JSON.parse(text);
    } catch (error) {
      setMessage({ kind: 'error', text: `The plan is not valid JSON: ${(error as Error).message}` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const reason = String(form.get('reason') ?? '').trim();
      const locked = await trpc.analysisPlan.lock.mutate({ trialId, content, amendmentReason: reason || null, password: String(form.get('password')) });
      setMessage({ kind: 'ok', text: `Version ${locked.version} locked and signed (SHA-256 ${locked.contentSha256.slice(0, 16)}…).` });
      router.refresh();
    } catch (error) {
      setMessage({ kind: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label="Lock the analysis plan" className="panel">
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
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'ok'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
