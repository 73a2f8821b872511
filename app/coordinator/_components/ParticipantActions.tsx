'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { FormError, FormNotice, useSubmit } from '../../_lib/use-submit';
import { describeError, today } from './describe-error';
import { RandomizeButton } from './RandomizeButton';

type EventKind = 'withdrawn' | 'lost_to_follow_up' | 'protocol_deviation';
const KIND_LABEL: Record<EventKind, string> = { withdrawn: 'Withdrawal', lost_to_follow_up: 'Lost to follow-up', protocol_deviation: 'Protocol deviation' };

interface Props {
  trialId: string;
  participant: {
    id: string;
    studyId: string;
    status: string;
    randomized: boolean;
    arm: string | null;
    events: { kind: EventKind; reason: string; occurredOn: string }[];
    eligibilityState: 'eligible' | 'ineligible' | 'waived';
    waivable: boolean;
    unmetCriteria: string[];
  };
  criteria: { id: string; text: string }[];
  arms: { key: string; label: string }[];
  catalogue: { exclusion: Record<string, string>; events: Record<EventKind, Record<string, string>> };
  role: string;
}

/** Randomize or exclude an enrolled patient; record follow-up events; emergency unblinding. */
export function ParticipantActions({ trialId, participant, arms, catalogue, role, criteria }: Props) {
  const router = useRouter();
  const refresh = () => router.refresh();
  const isCoordinator = role === 'coordinator';
  return (
    <>
      {participant.status === 'enrolled' && isCoordinator && (
        <section className="panel" aria-label="Randomization">
          <h2>Randomization</h2>
          {participant.eligibilityState === 'ineligible' ? (
            <div data-testid="ineligible-notice">
              <p className="error">
                {participant.studyId} does not meet the eligibility criteria and cannot be randomized: {participant.unmetCriteria.map((id) => criteria.find((c) => c.id === id)?.text ?? id).join('; ')}
                . CONSORT counts this patient under “not meeting eligibility criteria”.
              </p>
              {participant.waivable ? <WaiverForm trialId={trialId} participantId={participant.id} /> : <p className="muted">The protocol does not allow these criteria to be waived.</p>}
            </div>
          ) : (
            <>
              <p className="muted">Randomization checks eligibility and the stratification factors, allocates once and is audited. A repeated request returns the original allocation.</p>
              <RandomizeButton trialId={trialId} participantId={participant.id} studyId={participant.studyId} armLabels={arms} onDone={refresh} />
            </>
          )}
          <ExcludeForm trialId={trialId} participantId={participant.id} reasons={catalogue.exclusion} />
        </section>
      )}
      {participant.randomized && (
        <section className="panel" aria-label="Follow-up events">
          <h2>Withdrawal, loss to follow-up, protocol deviations</h2>
          {participant.events.length === 0 ? (
            <p className="muted">None recorded.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Event</th>
                  <th>Reason</th>
                  <th>Date</th>
                </tr>
              </thead>
              <tbody>
                {participant.events.map((e, i) => (
                  <tr key={i}>
                    <td>{KIND_LABEL[e.kind]}</td>
                    <td>{catalogue.events[e.kind]?.[e.reason] ?? e.reason}</td>
                    <td>{e.occurredOn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {isCoordinator && <EventForm trialId={trialId} participantId={participant.id} catalogue={catalogue.events} />}
        </section>
      )}
      {participant.randomized && participant.arm === null && (role === 'coordinator' || role === 'admin') && (
        <UnblindForm trialId={trialId} participantId={participant.id} studyId={participant.studyId} arms={arms} />
      )}
    </>
  );
}

/** A signed waiver of the failed criteria (password re-entered), where the protocol allows it. */
function WaiverForm({ trialId, participantId }: { trialId: string; participantId: string }) {
  const [open, setOpen] = useState(false);
  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      await trpc.participants.waiveEligibility.mutate({ trialId, participantId, reason: String(form.get('reason')), password: String(form.get('password')) });
    },
    undefined,
    { describe: describeError },
  );
  if (!open)
    return (
      <p>
        The protocol allows an authorised person to waive these criteria.{' '}
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Record a signed waiver…
        </button>
      </p>
    );
  return (
    <form onSubmit={onSubmit} aria-label="Eligibility waiver" className="subform">
      <label>
        Reason for the waiver (recorded with your signature)
        <textarea name="reason" required minLength={10} maxLength={1000} rows={2} />
      </label>
      <p className="muted" style={{ fontSize: 13 }}>
        Meaning of this signature: “I am authorised under the protocol to waive these eligibility criteria for this participant, and I waive them for the reason stated.”
      </p>
      <label>
        Password (re-enter to sign)
        <input name="password" type="password" required autoComplete="current-password" />
      </label>
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        Sign waiver
      </button>{' '}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function ExcludeForm({ trialId, participantId, reasons }: { trialId: string; participantId: string; reasons: Record<string, string> }) {
  const [open, setOpen] = useState(false);
  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      await trpc.participants.exclude.mutate({ trialId, participantId, reason: String(form.get('reason')) as 'declined', note: String(form.get('note') || '') || undefined });
    },
    undefined,
    { describe: describeError },
  );
  if (!open)
    return (
      <p>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Exclude before randomization…
        </button>
      </p>
    );
  return (
    <form onSubmit={onSubmit} aria-label="Exclude" className="subform">
      <div className="row">
        <label>
          Reason (CONSORT)
          <select name="reason" required>
            {Object.entries(reasons).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="wide">
          Note
          <input name="note" maxLength={500} />
        </label>
      </div>
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        Exclude patient
      </button>{' '}
      <button type="button" className="secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

function EventForm({ trialId, participantId, catalogue }: { trialId: string; participantId: string; catalogue: Record<EventKind, Record<string, string>> }) {
  const [kind, setKind] = useState<EventKind>('withdrawn');
  const { busy, error, notice, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      await trpc.participants.recordEvent.mutate({
        trialId,
        participantId,
        kind,
        reason: String(form.get('reason')),
        occurredOn: String(form.get('occurredOn')),
        note: String(form.get('note') || '') || undefined,
      });
      return `${KIND_LABEL[kind]} recorded.`;
    },
    (formEl) => formEl.reset(),
    { describe: describeError },
  );
  return (
    <form onSubmit={onSubmit} aria-label="Record an event" className="subform">
      <div className="row">
        <label>
          Event
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as EventKind)}>
            {(Object.keys(KIND_LABEL) as EventKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <select name="reason" key={kind} required>
            {Object.entries(catalogue[kind]).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="narrow">
          Date
          <input name="occurredOn" type="date" required defaultValue={today()} max={today()} />
        </label>
        <label className="wide">
          Note
          <input name="note" maxLength={500} />
        </label>
      </div>
      <FormError error={error} />
      <FormNotice notice={notice} className="notice" />
      <button type="submit" disabled={busy}>
        Record event
      </button>
    </form>
  );
}

function UnblindForm({ trialId, participantId, studyId, arms }: { trialId: string; participantId: string; studyId: string; arms: { key: string; label: string }[] }) {
  const [open, setOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ arm: string; unblindedAt: Date } | null>(null);
  // The page's header reads the arm from the server, which now shows it to this user (the hook refreshes it).
  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      setRevealed(await trpc.participants.unblind.mutate({ trialId, participantId, reason: String(new FormData(formEl).get('reason')) }));
    },
    undefined,
    { describe: describeError },
  );
  return (
    <section className="panel danger-zone" aria-label="Emergency unblinding">
      <h2>Emergency unblinding</h2>
      {revealed ? (
        <p role="status" data-testid="unblinded-arm">
          {studyId} is in the <strong>{arms.find((a) => a.key === revealed.arm)?.label ?? revealed.arm}</strong> arm. This unblinding was recorded at{' '}
          {revealed.unblindedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC and is shown to the trial&apos;s monitors.
        </p>
      ) : !open ? (
        <p>
          Only when a clinical emergency requires knowing the allocation.{' '}
          <button type="button" className="secondary" onClick={() => setOpen(true)}>
            Unblind this patient…
          </button>
        </p>
      ) : (
        <form onSubmit={onSubmit} aria-label="Unblind">
          <label>
            Clinical reason (recorded, shown to monitors)
            <textarea name="reason" required minLength={10} maxLength={1000} rows={3} />
          </label>
          <FormError error={error} />
          <button type="submit" className="danger" disabled={busy}>
            Reveal the arm
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
