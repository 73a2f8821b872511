'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { trpc } from '../../_lib/trpc-client';
import { useSubmit } from '../../_lib/use-submit';
import { describeError, today } from './describe-error';
import { levelForAge } from '@/server/domain/enrollment/level-for-age';

interface Criterion {
  id: string;
  text: string;
  kind: 'inclusion' | 'exclusion';
}

/**
 * Enrollment: pseudonymous study ID (never a name), eligibility answers, consent date, baseline
 * covariates and one level per stratification factor. An ineligible patient can be enrolled (they
 * count as assessed in CONSORT); randomization will refuse them with the unmet criteria.
 */
export function EnrollForm({
  trialId,
  mode,
  sites,
  factors,
  criteria,
}: {
  trialId: string;
  mode: string;
  sites: { id: string; code: string; name: string }[];
  factors: { name: string; levels: string[] }[];
  criteria: Criterion[];
}) {
  const router = useRouter();
  const [age, setAge] = useState('');
  const [levels, setLevels] = useState<Record<string, string>>({});
  const [answers, setAnswers] = useState<Record<string, boolean>>({});

  function onAge(value: string) {
    setAge(value);
    // An age band derived from the age, where the factor's levels say how (e.g. "<50", "50-64", ">=65").
    const derived: Record<string, string> = {};
    for (const f of factors.filter((f) => /age/i.test(f.name))) {
      const level = levelForAge(f.levels, Number(value));
      if (level !== null) derived[f.name] = level;
    }
    setLevels((current) => ({ ...current, ...derived }));
  }

  const { busy, error, onSubmit } = useSubmit(
    async (formEl) => {
      const form = new FormData(formEl);
      const unanswered = criteria.filter((c) => answers[c.id] === undefined);
      if (unanswered.length) throw new Error(`Answer every eligibility question (${unanswered.map((c) => c.id).join(', ')}).`);
      const row = await trpc.participants.enroll.mutate({
        trialId,
        siteId: String(form.get('siteId')),
        studyId: String(form.get('studyId')).trim().toUpperCase(),
        baseline: { age: Number(age), sex: String(form.get('sex')) as 'F' | 'M', scannerVendor: String(form.get('scannerVendor')), fieldStrength: String(form.get('fieldStrength')) as '1.5T' | '3T' },
        levels: Object.fromEntries(Object.entries(levels).filter(([, v]) => v !== '')),
        eligibility: answers,
        consentDate: String(form.get('consentDate')),
      });
      router.push(`/coordinator/${trialId}/participants/${row.id}`);
    },
    undefined,
    { describe: describeError, leaves: true },
  );

  return (
    <form onSubmit={onSubmit} aria-label="Enroll a patient">
      <section className="panel" aria-label="Identification">
        <h2>
          Patient
          {mode === 'test' && (
            <span className="badge warn" style={{ marginLeft: 8 }}>
              test mode
            </span>
          )}
        </h2>
        <div className="grid">
          <label>
            Pseudonymous study ID
            <input name="studyId" required pattern="[A-Za-z0-9][A-Za-z0-9\-]{2,31}" placeholder="SA-0042" autoComplete="off" />
            <span className="hint">Never a name or hospital number: 3–32 letters, digits or “-”.</span>
          </label>
          <label>
            Site
            <select name="siteId" required>
              {sites.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.code} — {s.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Consent date
            <input name="consentDate" type="date" required max={today()} defaultValue={today()} />
          </label>
        </div>
      </section>
      <section className="panel" aria-label="Eligibility checklist">
        <h2>Eligibility checklist</h2>
        {criteria.length === 0 && <p className="muted">This trial has no eligibility criteria.</p>}
        {criteria.map((c) => (
          <fieldset key={c.id} className="criterion">
            <legend>
              {c.text} <span className="muted">({c.kind})</span>
            </legend>
            <label className="inline">
              <input type="radio" name={`eligibility-${c.id}`} checked={answers[c.id] === true} onChange={() => setAnswers({ ...answers, [c.id]: true })} /> Yes
            </label>
            <label className="inline">
              <input type="radio" name={`eligibility-${c.id}`} checked={answers[c.id] === false} onChange={() => setAnswers({ ...answers, [c.id]: false })} /> No
            </label>
          </fieldset>
        ))}
      </section>
      <section className="panel" aria-label="Baseline covariates">
        <h2>Baseline covariates</h2>
        <div className="grid">
          <label>
            Age (years)
            <input name="age" type="number" min={0} max={120} required value={age} onChange={(e) => onAge(e.target.value)} />
          </label>
          <label>
            Sex
            <select name="sex" required defaultValue="">
              <option value="" disabled>
                choose
              </option>
              <option value="F">F</option>
              <option value="M">M</option>
            </select>
          </label>
          <label>
            Scanner vendor
            <input name="scannerVendor" required list="scanner-vendors" placeholder="Siemens" />
            <datalist id="scanner-vendors">
              <option value="Siemens" />
              <option value="GE" />
              <option value="Philips" />
              <option value="Canon" />
            </datalist>
          </label>
          <label>
            Field strength
            <select name="fieldStrength" required defaultValue="3T">
              <option value="1.5T">1.5 T</option>
              <option value="3T">3 T</option>
            </select>
          </label>
          {factors.map((f) => (
            <label key={f.name}>
              Stratification factor: {f.name}
              <select aria-label={`Factor ${f.name}`} value={levels[f.name] ?? ''} onChange={(e) => setLevels({ ...levels, [f.name]: e.target.value })}>
                <option value="">not recorded</option>
                {f.levels.map((l) => (
                  <option key={l} value={l}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
      </section>
      {error && (
        <p className="panel error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? 'Enrolling…' : 'Enroll patient'}
      </button>
    </form>
  );
}
