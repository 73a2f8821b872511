'use client';
import { useState } from 'react';
import type { TrialDesign } from '@/server/domain/trials/trial-design';
import { trpc } from '../../_lib/trpc-client';
import { useAction, useSubmit } from '../../_lib/use-submit';
import { describeError } from './describe-error';
import { EligibilityCriteriaRows, type CriterionRow } from './EligibilityCriteriaRows';
import { ImagingVisitsEditor, imagingVisitRows, imagingVisitsFromRows } from './ImagingVisitsEditor';

interface ArmRow {
  key: string;
  label: string;
  ratio: number;
}
interface FactorRow {
  name: string;
  levels: string;
}
interface Commitment {
  mode: string;
  period: number;
  commitmentHash: string;
  algorithmVersion: string;
  createdAt: Date;
}

const DEFAULT_ARMS: ArmRow[] = [
  { key: 'ai_assisted', label: 'AI-assisted', ratio: 1 },
  { key: 'control', label: 'Control', ratio: 1 },
];

/**
 * The trial design: arms and ratio, stratification factors, method (permuted blocks with block
 * sizes, or minimization with p), eligibility checklist, target size and arm visibility; then test
 * mode and go-live. Everything is disabled once the trial is live: the server refuses changes too.
 */
export function DesignEditor({ trialId, status, liveAt, design, commitments }: { trialId: string; status: string; liveAt: Date | null; design: TrialDesign | null; commitments: Commitment[] }) {
  const frozen = status === 'live' || status === 'closed';
  const r = design?.randomization;
  const [arms, setArms] = useState<ArmRow[]>(r ? r.arms.map((a) => ({ key: a.key, label: a.label, ratio: a.ratio })) : DEFAULT_ARMS);
  const [method, setMethod] = useState<'permuted_blocks' | 'minimization'>(r?.method ?? 'permuted_blocks');
  const [blockSizes, setBlockSizes] = useState(r?.method === 'permuted_blocks' ? r.blockSizes.join(', ') : '');
  const [p, setP] = useState(r?.method === 'minimization' ? String(r.minimization.p) : '0.8');
  const [factors, setFactors] = useState<FactorRow[]>(r ? r.factors.map((f) => ({ name: f.name, levels: f.levels.join(', ') })) : [{ name: 'age_band', levels: '<50, 50-64, >=65' }]);
  const [criteria, setCriteria] = useState<CriterionRow[]>(
    design
      ? design.eligibility.map((c) => ({ ...c }))
      : [
          { id: 'adult', text: 'Age 18 years or older', kind: 'inclusion', waivable: false },
          { id: 'consent', text: 'Written informed consent obtained', kind: 'inclusion', waivable: false },
        ],
  );
  const [target, setTarget] = useState(String(design?.targetSampleSize ?? 100));
  const [openLabel, setOpenLabel] = useState(design?.coordinatorsSeeArm ?? false);
  const [confirmLive, setConfirmLive] = useState(false);
  const [visitRows, setVisitRows] = useState(imagingVisitRows(design?.imagingVisits));

  const ratioSum = arms.reduce((s, a) => s + (Number.isFinite(a.ratio) ? a.ratio : 0), 0);

  function buildDesign() {
    const sizes = blockSizes
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    return {
      randomization: {
        method,
        arms: arms.map((a) => ({ key: a.key.trim(), label: a.label.trim(), ratio: Number(a.ratio) })),
        factors: factors
          .filter((f) => f.name.trim())
          .map((f) => ({
            name: f.name.trim(),
            levels: f.levels
              .split(',')
              .map((l) => l.trim())
              .filter(Boolean),
          })),
        ...(method === 'permuted_blocks' ? (sizes.length ? { blockSizes: sizes } : {}) : { minimization: { p: Number(p) } }),
      },
      eligibility: criteria.map((c) => ({ id: c.id.trim(), text: c.text.trim(), kind: c.kind, waivable: c.waivable })),
      // Edit checks are declared through the API; the editor keeps what the design has.
      ...(design?.editChecks ? { editChecks: design.editChecks } : {}),
      imagingVisits: imagingVisitsFromRows(visitRows),
      targetSampleSize: Number(target),
      coordinatorsSeeArm: openLabel,
    };
  }

  // Saving the design and changing the mode are two actions; one message line shows the last one's outcome.
  const [last, setLast] = useState<'design' | 'mode' | null>(null);
  const saving = useSubmit(
    async () => {
      setLast('design');
      setConfirmLive(false);
      const saved = await trpc.trials.updateDesign.mutate({ trialId, design: buildDesign() as never });
      if (saved.randomization.method === 'permuted_blocks') setBlockSizes(saved.randomization.blockSizes.join(', '));
      return status === 'test' ? 'Design saved. Test data was wiped and a new test seed committed.' : 'Design saved.';
    },
    undefined,
    { describe: describeError },
  );
  const changingMode = useAction({ describe: describeError });
  const changeMode = (action: () => Promise<string>) => {
    setLast('mode');
    return changingMode.run(async () => {
      try {
        return await action();
      } finally {
        setConfirmLive(false);
      }
    });
  };
  const busy = saving.busy || changingMode.busy;

  return (
    <form onSubmit={saving.onSubmit} aria-label="Trial design">
      {frozen && (
        <p className="panel notice" role="status">
          The trial went live{liveAt ? ` on ${liveAt.toISOString().slice(0, 10)}` : ''}: its design is frozen.
        </p>
      )}
      <fieldset disabled={frozen || busy} className="plain">
        <section className="panel" aria-label="Arms">
          <h2>Arms and allocation ratio</h2>
          {arms.map((a, i) => (
            <div className="row" key={i}>
              <label>
                Key
                <input aria-label={`Arm ${i + 1} key`} value={a.key} onChange={(e) => setArms(arms.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} required />
              </label>
              <label>
                Label
                <input aria-label={`Arm ${i + 1} label`} value={a.label} onChange={(e) => setArms(arms.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} required />
              </label>
              <label className="narrow">
                Ratio
                <input
                  aria-label={`Arm ${i + 1} ratio`}
                  type="number"
                  min={1}
                  step={1}
                  value={a.ratio}
                  onChange={(e) => setArms(arms.map((x, j) => (j === i ? { ...x, ratio: Number(e.target.value) } : x)))}
                  required
                />
              </label>
              {arms.length > 2 && (
                <button type="button" className="secondary small" onClick={() => setArms(arms.filter((_, j) => j !== i))}>
                  Remove
                </button>
              )}
            </div>
          ))}
          <p className="muted">
            Ratio {arms.map((a) => a.ratio).join(' : ')} (sum {ratioSum}). Arm order is the layout order inside a block.{' '}
            <button type="button" className="secondary small" onClick={() => setArms([...arms, { key: `arm_${arms.length + 1}`, label: `Arm ${arms.length + 1}`, ratio: 1 }])}>
              Add an arm
            </button>
          </p>
        </section>

        <section className="panel" aria-label="Randomization method">
          <h2>Randomization</h2>
          <div className="row">
            <label className="inline">
              <input type="radio" name="method" checked={method === 'permuted_blocks'} onChange={() => setMethod('permuted_blocks')} /> Stratified permuted blocks
            </label>
            <label className="inline">
              <input type="radio" name="method" checked={method === 'minimization'} onChange={() => setMethod('minimization')} /> Minimization (Pocock–Simon)
            </label>
          </div>
          {method === 'permuted_blocks' ? (
            <label>
              Block sizes (multiples of {ratioSum}; one is drawn at random per block; empty: {ratioSum}, {2 * ratioSum}, {3 * ratioSum})
              <input aria-label="Block sizes" value={blockSizes} onChange={(e) => setBlockSizes(e.target.value)} placeholder={`${ratioSum}, ${2 * ratioSum}, ${3 * ratioSum}`} />
            </label>
          ) : (
            <label>
              Probability p of assigning the minimizing arm (ties and the first patient are random)
              <input aria-label="Minimization p" type="number" min={0} max={1} step={0.05} value={p} onChange={(e) => setP(e.target.value)} />
            </label>
          )}
          <h3>Stratification factors</h3>
          <p className="muted">The site is always a factor. Add categorical prognostic factors with their levels (comma-separated).</p>
          {factors.map((f, i) => (
            <div className="row" key={i}>
              <label>
                Factor
                <input aria-label={`Factor ${i + 1} name`} value={f.name} onChange={(e) => setFactors(factors.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} />
              </label>
              <label className="wide">
                Levels
                <input aria-label={`Factor ${i + 1} levels`} value={f.levels} onChange={(e) => setFactors(factors.map((x, j) => (j === i ? { ...x, levels: e.target.value } : x)))} />
              </label>
              <button type="button" className="secondary small" onClick={() => setFactors(factors.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="secondary small" onClick={() => setFactors([...factors, { name: '', levels: '' }])}>
            Add a factor
          </button>
        </section>

        <section className="panel" aria-label="Eligibility">
          <h2>Eligibility checklist</h2>
          <EligibilityCriteriaRows criteria={criteria} onChange={setCriteria} />
        </section>

        <ImagingVisitsEditor rows={visitRows} onChange={setVisitRows} />

        <section className="panel" aria-label="Size and blinding">
          <h2>Target size and blinding</h2>
          <div className="row">
            <label className="narrow">
              Target sample size
              <input aria-label="Target sample size" type="number" min={1} value={target} onChange={(e) => setTarget(e.target.value)} required />
            </label>
            <label className="inline">
              <input type="checkbox" checked={openLabel} onChange={(e) => setOpenLabel(e.target.checked)} /> Open-label for coordinators (they see each patient&apos;s arm and per-arm balance)
            </label>
          </div>
          <button type="submit">Save design</button>
          {last === 'design' && <SetupMessage error={saving.error} notice={saving.notice} />}
        </section>
      </fieldset>

      <section className="panel" aria-label="Randomization mode">
        <h2>Test mode and go-live</h2>
        <p>
          Status: <strong data-testid="setup-status">{status === 'test' ? 'test mode' : status}</strong>.{' '}
          {status === 'design' && 'Start test mode to exercise enrollment and randomization with a test seed, or go live directly.'}
          {status === 'test' && 'Test allocations use a test seed. Going live deletes every test patient and allocation, freezes the design and commits the live seed.'}
        </p>
        {commitments.length > 0 && (
          <table aria-label="Published commitments">
            <thead>
              <tr>
                <th>Mode</th>
                <th>Period</th>
                <th>Commitment (SHA-256 of seed, parameters and algorithm version)</th>
                <th>Algorithm</th>
                <th>Committed</th>
              </tr>
            </thead>
            <tbody>
              {commitments.map((c) => (
                <tr key={`${c.mode}-${c.period}`}>
                  <td>{c.mode}</td>
                  <td title="A signed amendment of the randomization parameters opens a new period under a new commitment">{c.period}</td>
                  <td>
                    <code className="hash" data-testid={c.period === 1 ? `commitment-${c.mode}` : `commitment-${c.mode}-${c.period}`}>
                      {c.commitmentHash}
                    </code>
                  </td>
                  <td>{c.algorithmVersion}</td>
                  <td>{c.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="actions">
          {status === 'design' && (
            <button
              type="button"
              disabled={busy || !design}
              onClick={() => void changeMode(async () => `Test mode started; test commitment ${(await trpc.trials.startTestMode.mutate({ trialId })).commitmentHash}.`)}
            >
              Start test mode
            </button>
          )}{' '}
          {(status === 'design' || status === 'test') &&
            (confirmLive ? (
              <>
                <span>Go live? The design freezes and {status === 'test' ? 'all test patients are deleted' : 'enrollment counts for real'}.</span>{' '}
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void changeMode(async () => {
                      const r = await trpc.trials.goLive.mutate({ trialId });
                      return `The trial is live; published commitment ${r.commitmentHash}${r.testParticipantsWiped ? ` (${r.testParticipantsWiped} test patients deleted)` : ''}.`;
                    })
                  }
                >
                  Confirm go-live
                </button>{' '}
                <button type="button" className="secondary" onClick={() => setConfirmLive(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" disabled={busy || !design} onClick={() => setConfirmLive(true)}>
                Go live
              </button>
            ))}
        </p>
        {!design && !frozen && <p className="muted">Save a design first.</p>}
        {last === 'mode' && <SetupMessage error={changingMode.error} notice={changingMode.notice} />}
      </section>
    </form>
  );
}

/** The outcome of the last setup action (the e2e specs read it by test id). */
function SetupMessage({ error, notice }: { error: string | null; notice: string | null }) {
  const text = error ?? notice;
  return text ? (
    <p className={error ? 'error' : 'notice'} role={error ? 'alert' : 'status'} data-testid="setup-message">
      {text}
    </p>
  ) : null;
}
