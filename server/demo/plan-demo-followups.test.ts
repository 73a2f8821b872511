import { describe, expect, it } from 'vitest';
import { planDemoCases } from './plan-demo-cases';
import { planDemoFollowups } from './plan-demo-followups';

describe('planDemoFollowups', () => {
  it('offers site-a patients with a study, no event and an enhancing tumour, in enrollment order', () => {
    const candidates = planDemoFollowups();
    // Enough for the arms' courses whatever the randomization drew (the integration test checks the tumour kinds against the generator).
    expect(candidates.length).toBeGreaterThanOrEqual(3);
    expect(candidates.every((c) => c.site === 'site-a' && c.study && c.event === null && c.disposition === 'randomize')).toBe(true);
    const order = planDemoCases().map((c) => c.studyId);
    expect(candidates.map((c) => order.indexOf(c.studyId))).toEqual(candidates.map((c) => order.indexOf(c.studyId)).sort((a, b) => a - b));
    // A patient without a study (SA-0008) or with a withdrawal (SA-0006) is never offered.
    expect(candidates.map((c) => c.studyId)).not.toContain('SA-0008');
    expect(candidates.map((c) => c.studyId)).not.toContain('SA-0006');
  });
});
