'use client';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';

interface Unblinding {
  id: string;
  unblindedAt: Date;
  studyId: string;
  site: string;
  by: string;
  reason: string;
  acknowledged: boolean;
}

/** A trial's emergency unblindings; a monitor acknowledges each after reviewing it (audited). */
export function UnblindingList({ trialId, unblindings, canAcknowledge }: { trialId: string; unblindings: Unblinding[]; canAcknowledge: boolean }) {
  // Which row's acknowledgement is being sent: only its button is disabled meanwhile.
  const [target, setTarget] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const acknowledge = (id: string) => {
    setTarget(id);
    return run(async () => {
      await trpc.trials.acknowledgeUnblinding.mutate({ trialId, unblindingId: id });
    });
  };
  if (unblindings.length === 0) return <p className="muted">No participant has been unblinded.</p>;
  return (
    <>
      <table data-testid="unblindings">
        <thead>
          <tr>
            <th>Time (UTC)</th>
            <th>Study ID</th>
            <th>Site</th>
            <th>Unblinded by</th>
            <th>Reason</th>
            <th>Monitor review</th>
          </tr>
        </thead>
        <tbody>
          {unblindings.map((u) => (
            <tr key={u.id}>
              <td>{u.unblindedAt.toISOString().replace('T', ' ').slice(0, 19)}</td>
              <td>{u.studyId}</td>
              <td>{u.site}</td>
              <td>{u.by}</td>
              <td>{u.reason}</td>
              <td>
                {u.acknowledged ? (
                  <span className="badge ok">acknowledged</span>
                ) : canAcknowledge ? (
                  <button type="button" className="small" disabled={busy && target === u.id} onClick={() => void acknowledge(u.id)}>
                    Acknowledge
                  </button>
                ) : (
                  <span className="badge warn">not yet reviewed</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={error} />
    </>
  );
}
