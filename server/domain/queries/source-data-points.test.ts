import { describe, expect, it } from 'vitest';
import { sourceDataPoints } from './source-data-points';

const participant = { id: 'p1', consentDate: '2026-01-15', eligibility: { adult: true, prior: false }, covariates: { sex: 'F', age: 45 } };
const criteria = [
  { id: 'adult', text: 'Age 18 or older' },
  { id: 'prior', text: 'Prior treatment' },
  { id: 'kps', text: 'Karnofsky ≥ 70' },
];

describe('sourceDataPoints', () => {
  it('covers consent, every criterion of the checklist (unanswered ones too) and every covariate, in a stable order', () => {
    const points = sourceDataPoints({ participant, criteria, outcome: null });
    expect(points.map((p) => [p.field, p.value])).toEqual([
      ['consentDate', '2026-01-15'],
      ['eligibility.adult', 'yes'],
      ['eligibility.prior', 'no'],
      ['eligibility.kps', '—'],
      ['covariates.age', '45'],
      ['covariates.sex', 'F'],
    ]);
    expect(new Set(points.map((p) => p.entityId))).toEqual(new Set(['p1']));
  });

  it('adds the current outcome record’s fields under that record’s id, so a correction is verified afresh', () => {
    const outcome = { id: 'o2', assessedOn: '2026-07-01', progressionFree6m: false, referenceHighGrade: null, whoGrade: 4 };
    const points = sourceDataPoints({ participant, criteria: [], outcome }).filter((p) => p.entityType === 'outcome');
    expect(points.map((p) => [p.entityId, p.field, p.value])).toEqual([
      ['o2', 'assessedOn', '2026-07-01'],
      ['o2', 'progressionFree6m', 'no'],
      ['o2', 'referenceHighGrade', '—'],
      ['o2', 'whoGrade', '4'],
    ]);
  });
});
