'use client';
import { useState } from 'react';
import type { TrialDesign } from '@/server/domain/trials/trial-design';
import { trpc } from '../../_lib/trpc-client';
import { useSubmit } from '../../_lib/use-submit';
import { describeError, today } from './describe-error';
import { EligibilityCriteriaRows, type CriterionRow } from './EligibilityCriteriaRows';

interface SiteRow {
  code: string;
  name: string;
  isExternal: boolean;
}

/**
 * A new protocol version of a live trial: eligibility, target size and new sites are edited here,
 * the rest of the design is carried over unchanged; the coordinator states what the amendment does
 * and when it takes effect, and signs it by re-entering the password. Changing the randomization
 * parameters is a separate, explicit choice: it publishes a new commitment (a new seed for the
 * participants randomized from now on).
 */
export function AmendmentForm({ trialId, design, nextVersion, meaning }: { trialId: string; design: TrialDesign; nextVersion: number; meaning: string }) {
  const r = design.randomization;
  const [criteria, setCriteria] = useState<CriterionRow[]>(design.eligibility.map((c) => ({ ...c, waivable: c.waivable ?? false })));
  const [target, setTarget] = useState(String(design.targetSampleSize));
  const [sites, setSites] = useState<SiteRow[]>([]);
  const [changeRandomization, setChangeRandomization] = useState(false);
  const [ratios, setRatios] = useState(r.arms.map((a) => String(a.ratio)));
  const [blockSizes, setBlockSizes] = useState(r.method === 'permuted_blocks' ? r.blockSizes.join(', ') : '');
  const [p, setP] = useState(r.method === 'minimization' ? String(r.minimization.p) : '');

  function randomization() {
    if (!changeRandomization) return r;
    const arms = r.arms.map((a, i) => ({ ...a, ratio: Number(ratios[i]) }));
    if (r.method === 'permuted_blocks') {
      const sizes = blockSizes
        .split(/[\s,]+/)
        .filter(Boolean)
        .map(Number);
      // Empty block sizes: the engine's defaults for the new ratio (S, 2S, 3S).
      const { blockSizes: _previous, ...rest } = r;
      void _previous;
      return { ...rest, arms, ...(sizes.length ? { blockSizes: sizes } : {}) };
    }
    return { ...r, arms, minimization: { ...r.minimization, p: Number(p) } };
  }

  const { busy, error, notice, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const result = await trpc.trials.amend.mutate({
        trialId,
        design: {
          ...design,
          randomization: randomization(),
          eligibility: criteria.map((c) => ({ id: c.id.trim(), text: c.text.trim(), kind: c.kind, waivable: c.waivable })),
          targetSampleSize: Number(target),
        } as never,
        summary: String(form.get('summary')),
        effectiveOn: String(form.get('effectiveOn')),
        newSites: sites.map((s) => ({ code: s.code.trim(), name: s.name.trim(), isExternal: s.isExternal })),
        password: String(form.get('password')),
      });
      return `Protocol version ${result.version} signed, effective ${result.effectiveOn}.${result.commitmentHash ? ` New randomization commitment ${result.commitmentHash}.` : ''}`;
    },
    (formEl) => {
      formEl.reset();
      setSites([]);
      setChangeRandomization(false);
    },
    { describe: describeError },
  );
  // One line for the outcome of the last signature, refusal or notice (the e2e spec reads it by test id).
  const message = error ?? notice;

  return (
    <form onSubmit={onSubmit} aria-label="Protocol amendment">
      <fieldset disabled={busy} className="plain">
        <section className="panel" aria-label="Amended eligibility">
          <h2>Protocol version {nextVersion}: eligibility</h2>
          <EligibilityCriteriaRows criteria={criteria} onChange={setCriteria} />
          <p className="muted" style={{ fontSize: 13 }}>
            Participants already enrolled keep the version they were enrolled under; new enrollments answer the new checklist.
          </p>
        </section>

        <section className="panel" aria-label="Amended size and sites">
          <h2>Target size and sites</h2>
          <label className="narrow" style={{ maxWidth: 220 }}>
            Target sample size
            <input aria-label="Target sample size" type="number" min={1} value={target} onChange={(e) => setTarget(e.target.value)} required />
          </label>
          {sites.map((s, i) => (
            <div className="row" key={i}>
              <label className="narrow">
                New site code
                <input aria-label={`New site ${i + 1} code`} value={s.code} onChange={(e) => setSites(sites.map((x, j) => (j === i ? { ...x, code: e.target.value } : x)))} required />
              </label>
              <label className="wide">
                Name
                <input aria-label={`New site ${i + 1} name`} value={s.name} onChange={(e) => setSites(sites.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} required />
              </label>
              <label className="inline">
                <input type="checkbox" checked={s.isExternal} onChange={(e) => setSites(sites.map((x, j) => (j === i ? { ...x, isExternal: e.target.checked } : x)))} /> external validation site
              </label>
              <button type="button" className="secondary small" onClick={() => setSites(sites.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" className="secondary small" onClick={() => setSites([...sites, { code: '', name: '', isExternal: false }])}>
            Add a site
          </button>
        </section>

        <section className="panel" aria-label="Amended randomization">
          <h2>Randomization</h2>
          <label className="inline">
            <input type="checkbox" checked={changeRandomization} onChange={(e) => setChangeRandomization(e.target.checked)} aria-label="Change the randomization parameters" /> Change the randomization
            parameters (publishes a new commitment)
          </label>
          {changeRandomization ? (
            <>
              <p className="muted" style={{ fontSize: 13 }}>
                Arms, method and stratification factors stay as committed. Participants randomized from now on are allocated under a new secret seed whose commitment (SHA-256 of seed, parameters and
                algorithm version) is published with this amendment; allocations already made stay as they are, and the replay checks each period against its own commitment.
              </p>
              <div className="row">
                {r.arms.map((a, i) => (
                  <label className="narrow" key={a.key}>
                    Ratio {a.label}
                    <input
                      aria-label={`Ratio ${a.label}`}
                      type="number"
                      min={1}
                      step={1}
                      value={ratios[i]}
                      onChange={(e) => setRatios(ratios.map((x, j) => (j === i ? e.target.value : x)))}
                      required
                    />
                  </label>
                ))}
                {r.method === 'permuted_blocks' ? (
                  <label>
                    Block sizes (multiples of the ratio sum; empty: the defaults)
                    <input aria-label="Block sizes" value={blockSizes} onChange={(e) => setBlockSizes(e.target.value)} />
                  </label>
                ) : (
                  <label className="narrow">
                    Minimization p
                    <input aria-label="Minimization p" type="number" min={0} max={1} step={0.05} value={p} onChange={(e) => setP(e.target.value)} />
                  </label>
                )}
              </div>
            </>
          ) : (
            <p className="muted" style={{ fontSize: 13 }}>
              {r.method === 'permuted_blocks' ? `Stratified permuted blocks, sizes ${r.blockSizes.join(', ')}` : `Minimization, p ${r.minimization.p}`}; ratio {r.arms.map((a) => a.ratio).join(' : ')};
              factors {r.factors.map((f) => f.name).join(', ') || 'site only'}. Unchanged unless ticked.
            </p>
          )}
        </section>

        <section className="panel" aria-label="Sign the amendment">
          <h2>Summary, effective date and signature</h2>
          <label>
            What the amendment changes and why (at least 10 characters)
            <textarea name="summary" required minLength={10} maxLength={2000} rows={3} aria-label="Amendment summary" />
          </label>
          <label className="narrow" style={{ maxWidth: 220 }}>
            Effective on
            <input name="effectiveOn" type="date" required defaultValue={today()} aria-label="Effective on" />
          </label>
          <p className="muted" style={{ fontSize: 13 }}>
            Meaning of this signature: “{meaning}”
          </p>
          <label style={{ maxWidth: 320 }}>
            Password (re-enter to sign)
            <input name="password" type="password" required autoComplete="current-password" aria-label="Password (re-enter to sign)" />
          </label>
          <button type="submit">Sign amendment</button>
          {message && (
            <p className={error ? 'error' : 'notice'} role={error ? 'alert' : 'status'} data-testid="amendment-message">
              {message}
            </p>
          )}
        </section>
      </fieldset>
    </form>
  );
}
