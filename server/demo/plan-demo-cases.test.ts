import { describe, expect, it } from 'vitest';
import { generateSubject } from '../../imaging/cohort/generate-subject';
import { planDemoCases } from './plan-demo-cases';

describe('planDemoCases', () => {
  const plan = planDemoCases();

  it('covers every journey: randomized with and without study, awaiting, excluded, ineligible, events, outcomes', () => {
    expect(plan).toHaveLength(26);
    expect(new Set(plan.map((c) => c.studyId)).size).toBe(26);
    expect(new Set(plan.map((c) => c.index)).size).toBe(26);
    const count = (f: (c: (typeof plan)[number]) => boolean) => plan.filter(f).length;
    expect(count((c) => c.site === 'site-x')).toBe(4);
    expect(count((c) => c.disposition === 'enroll-only')).toBe(3);
    expect(count((c) => typeof c.disposition === 'object')).toBe(1);
    expect(count((c) => c.eligibility.prior_treatment === true)).toBe(1);
    expect(count((c) => c.disposition === 'randomize' && !c.study)).toBe(3);
    expect(count((c) => c.study)).toBe(19);
    // site-b: six studies on its original protocol (the oversight baseline), then three after its change.
    expect(plan.filter((c) => c.site === 'site-b' && c.study).map((c) => c.protocol)).toEqual([...new Array<string>(6).fill('original'), 'changed', 'changed', 'changed']);
    expect(plan.find((c) => c.eligibility.prior_treatment)?.studyId).toBe('SB-0008');
    expect(count((c) => c.outcome === 'reference')).toBe(6);
    expect(count((c) => c.outcome !== 'none' && !c.study)).toBe(0);
    expect(
      plan
        .map((c) => c.event?.kind)
        .filter(Boolean)
        .sort(),
    ).toEqual(['lost_to_follow_up', 'protocol_deviation', 'withdrawn']);
    expect(plan.every((c) => c.consentDaysAgo > 183)).toBe(true);
  });

  it('uses the same covariates the cohort generator draws for the subject', async () => {
    const c = plan.find((p) => p.site === 'site-x')!;
    const subject = await generateSubject({ seed: 'segtrial-demo', index: c.index, site: c.site, size: 'tiny' });
    expect(subject.record.covariates).toEqual(c.covariates);
  }, 60_000);
});
