'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useSubmit } from '../../_lib/use-submit';

/** A monitor's or admin's acknowledgement of an alert: what was checked and decided. */
export function AcknowledgeAlert({ trialId, alertId }: { trialId: string; alertId: string }) {
  const [comment, setComment] = useState('');
  const { busy, error, onSubmit } = useSubmit(async () => {
    await trpc.oversight.acknowledgeAlert.mutate({ trialId, alertId, comment });
  });
  return (
    <form className="inline-form" onSubmit={onSubmit}>
      <label>
        Comment <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What you checked and decided" required minLength={5} aria-label="Acknowledgement comment" />
      </label>
      <button type="submit" disabled={busy}>
        Acknowledge
      </button>
      <FormError error={error} />
    </form>
  );
}
