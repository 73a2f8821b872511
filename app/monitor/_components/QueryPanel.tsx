'use client';
import { useState, type FormEvent } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/routers/_app';
import { trpc } from '../../_lib/trpc-client';
import { FormError, useAction } from '../../_lib/use-submit';

type Query = inferRouterOutputs<AppRouter>['queries']['list'][number];
const STATUS_BADGE: Record<string, string> = { open: 'badge warn', answered: 'badge', closed: 'badge ok' };

/**
 * Data queries of one trial, open ones first and grouped by site: the monitor raises a query on a
 * participant's data point, reads the site's answer and closes it; or answers it, as site staff.
 */
export function QueryPanel({ trialId, queries, participants, mode }: { trialId: string; queries: Query[]; participants: { id: string; studyId: string }[]; mode: 'monitor' | 'site' }) {
  const { error, run: runAction } = useAction();
  const run = (call: () => Promise<unknown>) =>
    runAction(async () => {
      await call();
    });
  function raise(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = new FormData(formEl);
    void run(async () => {
      await trpc.queries.raise.mutate({
        trialId,
        participantId: String(form.get('participantId')),
        entityType: 'participant',
        entityId: null,
        field: String(form.get('field') || '') || null,
        question: String(form.get('question')),
      });
      formEl.reset();
    });
  }
  const open = queries.filter((q) => q.status !== 'closed');
  const bySite = [...new Set(open.map((q) => q.site))].sort();
  return (
    <div>
      {mode === 'monitor' && participants.length > 0 && (
        <form onSubmit={raise} aria-label="Raise a query" style={{ display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'flex-end' }}>
          <label style={{ margin: 0 }}>
            Participant
            <select name="participantId" required aria-label="Query participant">
              {participants.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.studyId}
                </option>
              ))}
            </select>
          </label>
          <label style={{ margin: 0 }}>
            Data point
            <input name="field" maxLength={80} placeholder="e.g. consent date" aria-label="Data point" />
          </label>
          <label style={{ margin: 0, flex: '1 1 260px' }}>
            Query
            <input name="question" required minLength={5} maxLength={2000} aria-label="Query text" />
          </label>
          <button type="submit">Raise query</button>
        </form>
      )}
      <p className="muted" style={{ fontSize: 13 }}>
        Open queries by site: {bySite.length === 0 ? 'none' : bySite.map((s) => `${s} ${open.filter((q) => q.site === s).length}`).join(' · ')}
      </p>
      {queries.length > 0 && (
        <table data-testid="queries" style={{ fontSize: 13 }}>
          <thead>
            <tr>
              <th>Site</th>
              <th>Participant</th>
              <th>Data point</th>
              <th>Query</th>
              <th>Status</th>
              <th>Answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {queries.map((q) => (
              <tr key={q.id} data-query-status={q.status}>
                <td>{q.site}</td>
                <td>{q.studyId}</td>
                <td>{q.field ?? '—'}</td>
                <td>
                  {q.question}{' '}
                  <span className="muted">
                    ({q.raisedBy}, {q.raisedAt.toISOString().slice(0, 10)})
                  </span>
                </td>
                <td>
                  <span className={STATUS_BADGE[q.status]}>{q.status}</span>
                </td>
                <td>{q.answer ?? '—'}</td>
                <td>
                  {mode === 'monitor' && q.status !== 'closed' && (
                    <button type="button" className="secondary small" onClick={() => void run(() => trpc.queries.close.mutate({ trialId, queryId: q.id, note: null }))}>
                      Close
                    </button>
                  )}
                  {mode === 'site' && q.status !== 'closed' && <AnswerForm onAnswer={(answer) => void run(() => trpc.queries.answer.mutate({ trialId, queryId: q.id, answer }))} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError error={error} />
    </div>
  );
}

function AnswerForm({ onAnswer }: { onAnswer: (answer: string) => void }) {
  const [text, setText] = useState('');
  return (
    <form
      aria-label="Answer query"
      onSubmit={(e) => {
        e.preventDefault();
        onAnswer(text);
      }}
      style={{ display: 'flex', gap: 6 }}
    >
      <input value={text} onChange={(e) => setText(e.target.value)} aria-label="Answer" minLength={2} maxLength={2000} required />
      <button type="submit" className="small">
        Answer
      </button>
    </form>
  );
}
