'use client';
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';

type Point = NonNullable<inferRouterOutputs<AppRouter>['queries']['sourceData']['selected']>['points'][number];

/**
 * One participant's data points as recorded: the monitor compares each with the source document and
 * marks it verified (once, audited, with an optional note), or raises a query on it for the site.
 */
export function SourceVerificationPanel({ trialId, participantId, points, canVerify }: { trialId: string; participantId: string; points: Point[]; canVerify: boolean }) {
  const [querying, setQuerying] = useState<string | null>(null);
  const action = useAction();
  const busy = action.busy;
  const run = (call: () => Promise<unknown>) =>
    action.run(
      async () => {
        await call();
      },
      () => setQuerying(null),
    );
  const key = (p: Point) => `${p.entityType}/${p.entityId}/${p.field}`;
  return (
    <div>
      <table data-testid="sdv-points" style={{ fontSize: 13 }}>
        <thead>
          <tr>
            <th>Data point</th>
            <th>Recorded value</th>
            <th>Source verified</th>
            {canVerify && <th />}
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={key(p)} data-field={p.field} data-verified={p.verified ? 'yes' : 'no'}>
              <td>{p.label}</td>
              <td>{p.value}</td>
              <td>
                {p.verified ? (
                  <>
                    <span className="badge ok">verified</span> {p.verified.by}, {p.verified.at.toISOString().replace('T', ' ').slice(0, 16)} UTC
                    {p.verified.note ? <span className="muted"> ({p.verified.note})</span> : null}
                  </>
                ) : (
                  <span className="muted">not yet</span>
                )}
              </td>
              {canVerify && (
                <td style={{ whiteSpace: 'nowrap' }}>
                  {!p.verified && (
                    <button
                      type="button"
                      className="small"
                      disabled={busy}
                      aria-label={`Verify ${p.label}`}
                      onClick={() => void run(() => trpc.queries.verifySource.mutate({ trialId, participantId, entityType: p.entityType, entityId: p.entityId, field: p.field, note: null }))}
                    >
                      Verified
                    </button>
                  )}{' '}
                  <button type="button" className="secondary small" disabled={busy} aria-label={`Query ${p.label}`} onClick={() => setQuerying(querying === key(p) ? null : key(p))}>
                    Query…
                  </button>
                  {querying === key(p) && (
                    <form
                      aria-label={`Query on ${p.label}`}
                      style={{ display: 'flex', gap: 6, marginTop: 6 }}
                      onSubmit={(e) => {
                        e.preventDefault();
                        const question = String(new FormData(e.currentTarget).get('question'));
                        void run(() => trpc.queries.raise.mutate({ trialId, participantId, entityType: p.entityType, entityId: p.entityId, field: p.label, question }));
                      }}
                    >
                      <input name="question" required minLength={5} maxLength={2000} aria-label="Query text" placeholder={`Recorded ${p.value}: …`} />
                      <button type="submit" className="small">
                        Raise
                      </button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      <FormError error={action.error} />
    </div>
  );
}
