'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorMessage, trpc } from '../../_lib/trpc-client';

/** A monitor's or admin's acknowledgement of an alert: what was checked and decided. */
export function AcknowledgeAlert({ trialId, alertId }: { trialId: string; alertId: string }) {
  const router = useRouter();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="inline-form"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await trpc.oversight.acknowledgeAlert.mutate({ trialId, alertId, comment });
          router.refresh();
        } catch (err) {
          setError(errorMessage(err));
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        Comment <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="What you checked and decided" required minLength={5} aria-label="Acknowledgement comment" />
      </label>
      <button type="submit" disabled={busy}>
        Acknowledge
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
