'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';

/**
 * The stop switch for one scope (the trial or a site): an admin states the reason and re-enters the
 * password to sign the suspension or the resumption.
 */
export function AiSwitch({ trialId, siteId, scopeLabel, suspended, meaning }: { trialId: string; siteId: string | null; scopeLabel: string; suspended: boolean; meaning: string }) {
  const [reason, setReason] = useState('');
  const [password, setPassword] = useState('');
  const action = suspended ? 'resumed' : 'suspended';
  const { busy, error, onSubmit } = useSubmit(
    async () => {
      await trpc.oversight.setAvailability.mutate({ trialId, siteId, action, reason, password });
    },
    () => {
      setReason('');
      setPassword('');
    },
  );
  return (
    <form className="switch-form" aria-label={`${suspended ? 'Resume' : 'Suspend'} the AI for ${scopeLabel}`} onSubmit={onSubmit}>
      <strong>{scopeLabel}</strong> <span className={suspended ? 'badge bad' : 'badge ok'}>{suspended ? 'AI suspended' : 'AI available'}</span>
      <label>
        Reason <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={10} aria-label={`Reason for ${scopeLabel}`} />
      </label>
      <label>
        Password <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" aria-label={`Password for ${scopeLabel}`} />
      </label>
      <button type="submit" disabled={busy} className={suspended ? undefined : 'danger'}>
        {suspended ? 'Sign and resume' : 'Sign and suspend'}
      </button>
      <p className="muted small">{meaning}</p>
      <FormError error={error} />
    </form>
  );
}
