import { describe, expect, it } from 'vitest';
import { aucDeLong } from '../../analysis/auc-delong';
import { simulateDemoRead } from './simulate-demo-read';

const subjects = Array.from({ length: 2000 }, (_, i) => ({ subject: `s${i}`, highGrade: i % 2 === 0 }));
const auc = (scores: number[]) =>
  aucDeLong(
    scores,
    subjects.map((s) => (s.highGrade ? 1 : 0)),
  ).auc;

describe('the demo reader model (SIMULATED reads)', () => {
  it('is deterministic per subject', () => {
    expect(simulateDemoRead({ subject: 'a', highGrade: true, withAi: true })).toEqual(simulateDemoRead({ subject: 'a', highGrade: true, withAi: true }));
  });

  it('gives the documented discrimination: model about 0.90, unaided reader about 0.83, aided reader in between and above unaided', () => {
    const unaided = subjects.map((s) => simulateDemoRead({ ...s, withAi: false }));
    const aided = subjects.map((s) => simulateDemoRead({ ...s, withAi: true }));
    const model = auc(unaided.map((r) => r.modelRisk));
    const own = auc(unaided.map((r) => r.probabilityHighGrade));
    const withAi = auc(aided.map((r) => r.probabilityHighGrade));
    expect(model).toBeGreaterThan(0.87);
    expect(model).toBeLessThan(0.93);
    expect(own).toBeGreaterThan(0.8);
    expect(own).toBeLessThan(0.86);
    expect(withAi).toBeGreaterThan(own + 0.02);
    // Automation bias: some aided reads are the AI's score exactly, and errors pass through with them.
    const adopted = aided.filter((r) => r.probabilityHighGrade === r.modelRisk);
    expect(adopted.length / aided.length).toBeGreaterThan(0.1);
    expect(adopted.length / aided.length).toBeLessThan(0.2);
    expect(aided.every((r) => r.aiAction !== null)).toBe(true);
    expect(unaided.every((r) => r.aiAction === null)).toBe(true);
    expect(aided.filter((r) => r.aiAction === 'rejected').every((r) => r.probabilityHighGrade >= 0.5 !== r.modelRisk >= 0.5)).toBe(true);
  });
});
