'use client';
import { useRef, useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { describeError } from './describe-error';

type Result = { created: boolean; allocatedAt: Date; arm: string | null };

/**
 * Randomizes one patient after an explicit confirmation. A double click, a retry or a second tab
 * cannot allocate twice: the server returns the original allocation, and the button says so. The
 * allocation is shown once, here; afterwards the patient list shows the arm only in open-label trials.
 */
export function RandomizeButton({
  trialId,
  participantId,
  studyId,
  armLabels,
  onDone,
  compact = false,
}: {
  trialId: string;
  participantId: string;
  studyId: string;
  armLabels: { key: string; label: string }[];
  onDone?: () => void | Promise<void>;
  compact?: boolean;
}) {
  const [stage, setStage] = useState<'idle' | 'confirm' | 'busy' | 'done'>('idle');
  const [result, setResult] = useState<Result | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  async function randomize() {
    if (inFlight.current) return;
    inFlight.current = true;
    setStage('busy');
    setError(null);
    try {
      setResult(await trpc.participants.randomize.mutate({ trialId, participantId }));
      setStage('done');
    } catch (e) {
      setError(describeError(e));
      setStage('idle');
    } finally {
      inFlight.current = false;
    }
  }

  if (stage === 'done' && result) {
    const label = result.arm ? (armLabels.find((a) => a.key === result.arm)?.label ?? result.arm) : null;
    return (
      <div className="allocation" role="status" data-testid="allocation-result">
        <strong>
          {studyId} {result.created ? 'randomized' : 'was already randomized'}
        </strong>
        <span>
          {label ? (
            <>
              Allocated arm: <strong>{label}</strong>
            </>
          ) : (
            'The arm is concealed from coordinators in this trial.'
          )}
        </span>
        <span className="muted">
          {result.created ? 'Allocated' : 'Original allocation'} {result.allocatedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC
        </span>
        <button type="button" className="secondary small" onClick={() => void onDone?.()}>
          OK
        </button>
      </div>
    );
  }
  return (
    <span className={compact ? 'inline-actions' : 'actions'}>
      {stage === 'idle' && (
        <button type="button" className={compact ? 'small' : undefined} onClick={() => setStage('confirm')}>
          Randomize
        </button>
      )}
      {(stage === 'confirm' || stage === 'busy') && (
        <>
          <span>Randomize {studyId}? This is final.</span>{' '}
          <button type="button" className="small" disabled={stage === 'busy'} onClick={() => void randomize()}>
            {stage === 'busy' ? 'Randomizing…' : 'Confirm randomization'}
          </button>{' '}
          <button type="button" className="secondary small" disabled={stage === 'busy'} onClick={() => setStage('idle')}>
            Cancel
          </button>
        </>
      )}
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </span>
  );
}
